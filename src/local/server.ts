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
  await patchFauxqs();
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
type BuildQueueUrl = (this: unknown, queueName: string, port: string, requestHost: string, region: string) => string;

/** A module of the pinned fauxqs that its package does not export (dist/<path>), or undefined. */
async function fauxqsInternal<T>(path: string): Promise<T | undefined> {
  try {
    return (await import(new URL(path, import.meta.resolve("fauxqs")).href)) as T;
  } catch {
    return undefined;
  }
}

let patched = false;

/**
 * Fixes in the pinned fauxqs (2.4.1) that SQS users notice, made by the launcher because
 * fauxqs has no option for them (each is checked by scripts/conformance.mjs and the
 * tests; a fauxqs with another layout is left as it is):
 * - --data-dir: a visibility change to 0 (every release) ran `UPDATE ... SET
 *   approximate_receive_count = NULL` against a NOT NULL column: HTTP 500, and the
 *   message, already out of the in-flight set in memory, was in no list until a restart.
 *   Now it clears only the receipt handle and the deadline, as "ready" means there.
 * - Message bodies with characters outside the Basic Multilingual Plane (emoji): SQS
 *   accepts #x10000-#x10FFFF; fauxqs's check (a regex without the u flag) refused every
 *   surrogate pair. The check now follows the SQS character list.
 * - Queue URLs named the host `sqs.<region>.localhost`, which does not resolve
 *   everywhere; they now name the host the client used (http://127.0.0.1:9324/...).
 * - Dead-letter queues: `ListDeadLetterSourceQueues` (InvalidAction before) lists the
 *   queues whose RedrivePolicy targets the DLQ, and a message the server moved to a DLQ
 *   carries the `DeadLetterQueueSourceArn` system attribute (kept in memory: after a
 *   restart with --data-dir it is gone, and sqsctl falls back to the DLQ's source list).
 */
async function patchFauxqs(): Promise<void> {
  if (patched) return;
  patched = true;
  const persistence = await fauxqsInternal<{ PersistenceManager?: { prototype: { updateMessageReady?: unknown } } }>("./persistence.js");
  const proto = persistence?.PersistenceManager?.prototype;
  if (proto && typeof proto.updateMessageReady === "function") {
    proto.updateMessageReady = function updateMessageReady(this: Persistence, messageId: string): void {
      this.sqsctlReady ??= this.db.prepare("UPDATE sqs_messages SET receipt_handle = NULL, visibility_deadline = NULL WHERE message_id = ?");
      this.sqsctlReady.run(messageId);
    };
  }
  const types = await fauxqsInternal<{ INVALID_MESSAGE_BODY_CHAR?: RegExp }>("./sqs/sqsTypes.js");
  if (types?.INVALID_MESSAGE_BODY_CHAR instanceof RegExp) {
    const invalid = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
    Object.defineProperty(types.INVALID_MESSAGE_BODY_CHAR, "test", { value: (text: string) => invalid.test(text) });
  }
  const store = await fauxqsInternal<{ SqsStore?: { prototype: { buildQueueUrl?: BuildQueueUrl } }; SqsQueue?: { prototype: QueueProto } }>("./sqs/sqsStore.js");
  const storeProto = store?.SqsStore?.prototype;
  const build = storeProto?.buildQueueUrl;
  if (storeProto && typeof build === "function") {
    storeProto.buildQueueUrl = function buildQueueUrl(this: unknown, queueName, port, requestHost, region) {
      const url = build.call(this, queueName, port, requestHost, region);
      return requestHost ? url.replace(/^(https?:\/\/)[^/]+/, `$1${requestHost}`) : url;
    };
  }
  const router = await fauxqsInternal<{ SqsRouter?: { prototype: RouterProto } }>("./sqs/sqsRouter.js");
  const errors = await fauxqsInternal<{ QueueDoesNotExistError?: new () => Error }>("./common/errors.js");
  if (store?.SqsQueue && router?.SqsRouter && errors?.QueueDoesNotExistError) patchDeadLetters(store.SqsQueue.prototype, router.SqsRouter.prototype, errors.QueueDoesNotExistError);
}

interface FauxQueue {
  url: string;
  arn: string;
  attributes: Record<string, string | undefined>;
}
interface QueueProto {
  dequeue?: (...args: unknown[]) => unknown;
  dequeueFifo?: (...args: unknown[]) => unknown;
  enqueue?: (msg: { messageId: string }) => unknown;
}
interface FauxStore {
  getQueue(url: string): FauxQueue | undefined;
  allQueues(): Iterable<FauxQueue>;
}
type Handler = (body: Record<string, unknown>, store: FauxStore, request: unknown) => Promise<unknown> | unknown;
interface RouterProto {
  register?: (this: { handlers: Map<string, Handler> }, action: string, handler: Handler) => void;
}

/** ListDeadLetterSourceQueues and DeadLetterQueueSourceArn for fauxqs (see patchFauxqs). */
function patchDeadLetters(queue: QueueProto, router: RouterProto, NotFound: new () => Error): void {
  const { dequeue, dequeueFifo, enqueue } = queue;
  const register = router.register;
  if (typeof dequeue !== "function" || typeof dequeueFifo !== "function" || typeof enqueue !== "function" || typeof register !== "function") return;
  // The server moves a message to its DLQ inside the source queue's (synchronous) dequeue:
  // an enqueue into another queue during it is that move.
  const sourceArn = new Map<string, string>();
  let dequeuing: FauxQueue | undefined;
  const during = (fn: (...args: unknown[]) => unknown) =>
    function (this: FauxQueue, ...args: unknown[]) {
      const outer = dequeuing;
      dequeuing = this;
      try {
        return fn.apply(this, args);
      } finally {
        dequeuing = outer;
      }
    };
  queue.dequeue = during(dequeue);
  queue.dequeueFifo = during(dequeueFifo);
  queue.enqueue = function (this: FauxQueue, msg: { messageId: string }) {
    if (dequeuing && dequeuing !== this) sourceArn.set(msg.messageId, dequeuing.arn);
    return enqueue.call(this, msg);
  };
  const listSources: Handler = (body, store) => {
    const dlq = store.getQueue(String(body.QueueUrl ?? ""));
    if (!dlq) throw new NotFound();
    const targets = (q: FauxQueue) => {
      try {
        return (JSON.parse(q.attributes.RedrivePolicy ?? "{}") as { deadLetterTargetArn?: string }).deadLetterTargetArn === dlq.arn;
      } catch {
        return false;
      }
    };
    return { queueUrls: [...store.allQueues()].filter(targets).map((q) => q.url).sort() };
  };
  router.register = function (action, handler) {
    let h = handler;
    if (action === "ReceiveMessage") {
      h = async (body, store, request) => {
        const out = (await handler(body, store, request)) as { Messages?: Array<{ MessageId: string; Attributes?: Record<string, string> }> };
        const names = [...((body.AttributeNames as string[] | undefined) ?? []), ...((body.MessageSystemAttributeNames as string[] | undefined) ?? [])];
        if (names.includes("All") || names.includes("DeadLetterQueueSourceArn")) {
          for (const m of out.Messages ?? []) {
            const arn = sourceArn.get(m.MessageId);
            if (arn) m.Attributes = { ...m.Attributes, DeadLetterQueueSourceArn: arn };
          }
        }
        return out;
      };
    }
    register.call(this, action, h);
    if (!this.handlers.has("ListDeadLetterSourceQueues")) register.call(this, "ListDeadLetterSourceQueues", listSources);
  };
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
