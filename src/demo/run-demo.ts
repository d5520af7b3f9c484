/**
 * `npm run demo`: the main job end to end, in one process and well under a minute.
 * Starts the embedded SQS server on a free loopback port, seeds the demo scene (orders
 * + orders-dlq filled by a real failing consumer), then runs the real CLI against it,
 * printing each command and its output, and stops the server.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { run } from "../main.js";
import { startLocalServer } from "../local/server.js";
import { seedDemo } from "../local/demo-scene.js";
import { Ui } from "../output/ui.js";
import { processIo, type Io } from "../output/io.js";

const STEPS: Array<{ say: string; argv: string[] }> = [
  { say: "Which queues are dead-letter queues, and how full are they?", argv: ["dlq", "list"] },
  { say: "What broke? Group the dead letters by the error in their body (nothing is removed).", argv: ["dlq", "inspect", "orders-dlq", "--group-by", "json.errorType"] },
  { say: "A few of the timeouts, up close.", argv: ["dlq", "inspect", "orders-dlq", "--filter", "json.errorType == 'Timeout'", "--limit", "5"] },
  { say: "The inventory service is back: send only the Timeout failures back to orders.", argv: ["dlq", "redrive", "orders-dlq", "--filter", "json.errorType == 'Timeout'", "--yes"] },
  { say: "Counts after the redrive: the timeouts are back in orders, the rest wait in the DLQ.", argv: ["queues", "list"] },
  { say: "What is left in the DLQ.", argv: ["dlq", "inspect", "orders-dlq", "--group-by", "json.errorType"] },
];

function quote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `"${a.replace(/(["\\$`])/g, "\\$1")}"`;
}

async function main(): Promise<number> {
  const started = Date.now();
  const base = processIo();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "sqsctl-demo-"));
  const server = await startLocalServer({ port: 0, host: "127.0.0.1" });
  const env: Record<string, string | undefined> = {
    ...base.env,
    SQSCTL_LOCAL_PORT: String(server.port),
    XDG_STATE_HOME: home, // the journals go here, not into your ~/.local/state
    AWS_PROFILE: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
  };
  const io: Io = { ...base, env };
  const ui = new Ui(io, { color: true });
  const bold = (s: string) => ui.color.bold(s);
  try {
    io.stdout.write(`${bold("sqsctl demo")}: an embedded SQS server on ${server.endpoint}, an orders queue, and a consumer that fails some orders.\n\n`);
    const controller = new AbortController();
    const scene = await seedDemo({ endpoint: server.endpoint, ui, signal: controller.signal });
    io.stdout.write(`\n${scene.sent} orders sent, ${scene.processed} processed, ${scene.deadLettered} dead-lettered after 3 failed receives each.\n`);
    for (const step of STEPS) {
      io.stdout.write(`\n${ui.color.dim(`# ${step.say}`)}\n${bold(`$ sqsctl --local ${step.argv.map(quote).join(" ")}`)}\n`);
      const code = await run(["--local", ...step.argv], io);
      if (code !== 0) {
        io.stderr.write(`demo: the step above exited with ${code}\n`);
        return code;
      }
    }
    io.stdout.write(`\n${bold("Done")} in ${((Date.now() - started) / 1000).toFixed(1)}s. Run it yourself against a server that stays up:\n`);
    io.stdout.write("  sqsctl local --seed demo        # in one terminal\n  sqsctl --local dlq list         # in another\n");
    return 0;
  } finally {
    await server.stop();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 500).unref();
  },
  (err: unknown) => {
    process.stderr.write(`demo failed: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
