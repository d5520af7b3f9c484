import { UsageError } from "../errors.js";
import { SEEDS } from "../local/seeds.js";
import { startLocalServer } from "../local/server.js";
import type { CommandContext } from "./context.js";

interface Opts {
  port: string;
  host: string;
  dataDir?: string;
  seed?: string;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

export default async function local(ctx: CommandContext, _args: string[], opts: Opts): Promise<void> {
  const { ui } = ctx;
  // A server runs until it is stopped: Ctrl-C / SIGTERM is its normal end (exit 0).
  ctx.endsOnSignal();
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port: "${opts.port}" is not a port number (0-65535).`);
  }
  const seed = opts.seed ? SEEDS[opts.seed] : undefined;
  if (opts.seed && !seed) {
    throw new UsageError(`--seed: no scene "${opts.seed}".`, `Available: ${Object.keys(SEEDS).join(", ")}.`);
  }

  const server = await startLocalServer({ port, host: opts.host, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}) });
  if (!LOOPBACK.has(server.host)) {
    ui.warn(`listening on ${server.host}: the server has no authentication and is reachable from your network.`);
  }
  const portEnv = server.port === 9324 ? "" : `SQSCTL_LOCAL_PORT=${server.port} `;
  if (ui.format !== "table") {
    ui.json({ endpoint: server.endpoint, host: server.host, port: server.port, region: "us-east-1", persistent: Boolean(opts.dataDir) });
  } else {
    ui.out(`SQS-compatible server listening on ${ui.color.bold(server.endpoint)} (${opts.dataDir ? `data in ${opts.dataDir}` : "in memory"})`);
    ui.out("");
    ui.out("Use it from another terminal:");
    ui.out(`  ${portEnv}sqsctl --local queues list`);
    ui.out("or point any AWS tool or SDK at it:");
    ui.out(`  export AWS_ENDPOINT_URL_SQS=${server.endpoint} AWS_REGION=us-east-1`);
    ui.out("  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local   # any value works locally");
    ui.out("");
  }

  try {
    if (seed) await seed.run({ endpoint: server.endpoint, ui, signal: ctx.signal });
    ui.info("Press Ctrl-C to stop.");
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) return resolve();
      ctx.signal.addEventListener("abort", () => resolve(), { once: true });
    });
  } finally {
    await server.stop();
    ui.info("Server stopped.");
  }
}
