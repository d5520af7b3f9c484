import net from "node:net";
import { OperationError, UsageError } from "../errors.js";

export const FAUXQS_VERSION = "2.4.1";
const MIN_NODE = [22, 5] as const;

export interface LocalServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Interface to bind; loopback unless the user asks otherwise. */
  host?: string;
  /** SQLite persistence directory; in-memory when absent. */
  dataDir?: string;
}

export interface LocalServer {
  endpoint: string;
  host: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts the embedded SQS-compatible server (fauxqs) on host:port. Used by
 * `sqsctl local`, the demo, and the test harness, so all three run the same code.
 */
export async function startLocalServer(opts: LocalServerOptions): Promise<LocalServer> {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    throw new OperationError(
      `The embedded server needs Node.js >= ${MIN_NODE.join(".")}; this is ${process.versions.node}.`,
      "Run it through npx in the project (it brings Node 22: 'npx sqsctl local'), or install Node 22 or later.",
    );
  }
  silenceSqliteWarning();
  let fauxqs: typeof import("fauxqs");
  try {
    fauxqs = await import("fauxqs");
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new OperationError(
        "The embedded SQS server (the optional package fauxqs) is not installed.",
        `Install it next to sqsctl: npm install fauxqs@${FAUXQS_VERSION}`,
        { cause: err },
      );
    }
    throw err;
  }
  if (opts.dataDir) await patchFauxqsPersistence();
  const host = opts.host ?? "127.0.0.1";
  if (!net.isIP(host) && host !== "localhost") {
    throw new UsageError(`--host: "${host}" is not an IP address.`, "Use 127.0.0.1 (the default), ::1, or 0.0.0.0 to listen on every interface.");
  }
  if (opts.port !== 0) await assertPortFree(host, opts.port);

  // fauxqs always listens on 0.0.0.0. Rewrite that one listen call to the host we
  // were asked for, so the server is reachable from loopback only unless --host says
  // otherwise. The patch lasts only while fauxqs starts.
  const original = net.Server.prototype.listen;
  net.Server.prototype.listen = function patchedListen(this: net.Server, ...args: unknown[]) {
    const first = args[0] as { host?: string } | undefined;
    if (first && typeof first === "object" && first.host === "0.0.0.0") args[0] = { ...first, host };
    return (original as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof original;
  let server: Awaited<ReturnType<typeof fauxqs.startFauxqs>>;
  try {
    server = await fauxqs.startFauxqs({
      port: opts.port,
      logger: false,
      ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    });
  } finally {
    net.Server.prototype.listen = original;
  }
  const port = server.port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  const connectHost = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "[::1]" : shownHost;
  return {
    endpoint: `http://${connectHost}:${port}`,
    host,
    port,
    stop: () => server.stop(),
  };
}

interface Statement {
  run(...args: unknown[]): unknown;
}
interface Persistence {
  db: { prepare(sql: string): Statement };
  sqsctlReady?: Statement;
}

/**
 * fauxqs 2.4.1 with --data-dir: a visibility change to 0 (a release) runs
 * `UPDATE ... SET approximate_receive_count = NULL`, which the NOT NULL column refuses:
 * the call answers HTTP 500 and the message, already taken out of the in-flight set in
 * memory, is in no list until the server restarts. Replace that one method with an update
 * that clears only the receipt handle and the deadline (what "ready" means there) and
 * keeps the receive count. Patched on the class, once, before the server starts.
 */
async function patchFauxqsPersistence(): Promise<void> {
  let mod: { PersistenceManager?: { prototype: { updateMessageReady?: unknown; sqsctlPatched?: boolean } } };
  try {
    mod = (await import(new URL("./persistence.js", import.meta.resolve("fauxqs")).href)) as typeof mod;
  } catch {
    return; // another layout: nothing to patch (the data-dir test would show it)
  }
  const proto = mod.PersistenceManager?.prototype;
  if (!proto || typeof proto.updateMessageReady !== "function" || proto.sqsctlPatched) return;
  proto.updateMessageReady = function updateMessageReady(this: Persistence, messageId: string): void {
    this.sqsctlReady ??= this.db.prepare("UPDATE sqs_messages SET receipt_handle = NULL, visibility_deadline = NULL WHERE message_id = ?");
    this.sqsctlReady.run(messageId);
  };
  proto.sqsctlPatched = true;
}

function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE") {
        reject(
          new OperationError(
            `Port ${port} on ${host} is already in use (is another 'sqsctl local' running?).`,
            `Pick another with --port, and point commands at it with SQSCTL_LOCAL_PORT=${port + 1} or --endpoint-url.`,
          ),
        );
      } else reject(err);
    });
    probe.listen({ port, host }, () => probe.close(() => resolve()));
  });
}

/** node:sqlite (used by fauxqs for --data-dir) prints an ExperimentalWarning on Node 22; it is noise to users. */
function silenceSqliteWarning(): void {
  const emit = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning.message;
    if (/SQLite is an experimental feature/.test(text)) return;
    (emit as (...a: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
