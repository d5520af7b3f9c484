import http from "node:http";
import { listenOnLoopback } from "./loopback.js";

/**
 * A fault-injecting HTTP proxy for tests: it sits on 127.0.0.1 in front of an
 * SQS-compatible server (AWS JSON protocol: `X-Amz-Target: AmazonSQS.<Action>`) and,
 * with a seeded PRNG, drops connections, delays responses, answers with throttling
 * (400 ThrottlingException / RequestThrottled, 503) and 500 errors, and makes single
 * entries of SendMessageBatch / DeleteMessageBatch / ChangeMessageVisibilityBatch fail.
 *
 * Timing matters for "never lose a message":
 * - a fault BEFORE forwarding means the server never saw the request (or the entry):
 *   nothing happened, a retry is safe;
 * - a fault AFTER forwarding means the server did act (enqueued, deleted) and the
 *   client is told it failed or hears nothing: a retried send is a duplicate. Those
 *   entries are counted in `stats.ambiguous` so tests can bound the duplicates.
 *
 * The PRNG draws in request-arrival order, so a sequential client sees exactly the
 * same faults for the same seed; with concurrent clients the mix is the same but which
 * request gets which fault depends on arrival order.
 */

export type Timing = "before" | "after" | "mixed";

export interface FaultRates {
  /** Probability that the connection is destroyed without an answer. */
  drop?: number;
  /** Probability of a 400 throttling error (ThrottlingException or RequestThrottled, picked by the PRNG). */
  throttle?: number;
  /** Probability of a 503 ServiceUnavailable. */
  unavailable?: number;
  /** Probability of a 500 InternalError. */
  internal?: number;
  /** Probability of a 403 AccessDenied (a policy changed mid-run). Drawn only when set, so other seeds' sequences stay as they were. */
  denied?: number;
  /** Probability that the answer is delayed by `delayMs`. */
  delay?: number;
  /** Delay length in ms (default 200). */
  delayMs?: number;
  /**
   * Where the delay sits: "before" forwarding (the server acts late) or "after" (the
   * server has acted; the answer is late, so a client killed meanwhile never learns
   * the outcome). Default "before".
   */
  delayWhen?: "before" | "after";
  /** Batch actions: per-entry probability of a retryable failure (SenderFault false, `entryFailCode`). */
  entryFail?: number;
  /** Code for `entryFail` entries (default InternalError). */
  entryFailCode?: string;
  /**
   * Batch actions: per-entry probability of a permanent failure (SenderFault true,
   * InvalidParameterValue). Always injected before forwarding: a server that rejected
   * an entry has not acted on it.
   */
  entryReject?: number;
  /** When request faults strike, relative to forwarding (default "before"). */
  timing?: Timing;
  /** When `entryFail` strikes (default: `timing`). "after" reports an enqueued entry as failed. */
  entryTiming?: Timing;
}

export interface FaultConfig {
  /** PRNG seed; the same seed gives the same fault sequence. */
  seed?: number;
  /** Faults are injected only while enabled (default true). */
  enabled?: boolean;
  /** Rates for every action without its own entry. */
  rates?: FaultRates;
  /** Per-action rates by SQS action name (e.g. SendMessageBatch); replaces `rates` for that action. */
  actions?: Record<string, FaultRates>;
  /**
   * Caps the VisibilityTimeout of ReceiveMessage and ChangeMessageVisibility(Batch)
   * requests, so messages a killed client held come back within seconds in tests.
   */
  maxVisibilitySeconds?: number;
  /** Called with every request's action and headers before any fault (for tests that check what the client sent). */
  onRequest?: (action: string, headers: http.IncomingHttpHeaders) => void;
}

export interface FaultStats {
  /** Requests received by the proxy. */
  requests: number;
  /** Requests passed on to the server. */
  forwarded: number;
  /** Injected faults by kind and timing, e.g. "drop:before", "throttle:after", "entryFail:before", "entryReject", "delay". */
  injected: Record<string, number>;
  /** The same, per action: byAction.SendMessageBatch["drop:after"]. */
  byAction: Record<string, Record<string, number>>;
  /**
   * Per action: entries (or single requests) the server carried out while the client
   * was told they failed or got no answer. For sends, the upper bound of duplicates.
   */
  ambiguous: Record<string, number>;
}

export interface FaultProxy {
  /** http://127.0.0.1:PORT, for --endpoint-url / AWS_ENDPOINT_URL_SQS. */
  endpoint: string;
  port: number;
  stats: FaultStats;
  /** Total injected faults of every kind. */
  totalInjected(): number;
  /** Turns fault injection on or off without restarting (counters are kept). */
  setEnabled(on: boolean): void;
  /** Replaces the configuration; a new seed restarts the PRNG. */
  configure(config: FaultConfig): void;
  resetStats(): void;
  close(): Promise<void>;
}

/** mulberry32: a tiny, well-distributed 32-bit PRNG; deterministic for a seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BATCH_ACTIONS = new Set(["SendMessageBatch", "DeleteMessageBatch", "ChangeMessageVisibilityBatch"]);

interface Decision {
  kind: "drop" | "throttle" | "unavailable" | "internal" | "denied" | undefined;
  after: boolean;
  delayMs: number;
  delayAfter: boolean;
}

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function emptyStats(): FaultStats {
  return { requests: 0, forwarded: 0, injected: {}, byAction: {}, ambiguous: {} };
}

export async function startFaultProxy(target: string, config: FaultConfig = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let cfg: FaultConfig = config;
  let rand = mulberry32(config.seed ?? 1);
  let enabled = config.enabled ?? true;
  let stats = emptyStats();

  const count = (action: string, kind: string, n = 1) => {
    stats.injected[kind] = (stats.injected[kind] ?? 0) + n;
    const a = (stats.byAction[action] ??= {});
    a[kind] = (a[kind] ?? 0) + n;
  };
  const ambiguous = (action: string, n: number) => {
    if (n > 0) stats.ambiguous[action] = (stats.ambiguous[action] ?? 0) + n;
  };
  const ratesFor = (action: string): FaultRates => cfg.actions?.[action] ?? cfg.rates ?? {};
  const pickAfter = (timing: Timing | undefined) => (timing === "after" ? true : timing === "mixed" ? rand() < 0.5 : false);

  function decide(action: string): Decision {
    const r = ratesFor(action);
    const d: Decision = { kind: undefined, after: false, delayMs: 0, delayAfter: r.delayWhen === "after" };
    if (!enabled) return d;
    // One draw per kind, in a fixed order, so the sequence depends only on the seed.
    const roll = (p: number | undefined) => rand() < (p ?? 0);
    if (roll(r.drop)) d.kind = "drop";
    else if (roll(r.throttle)) d.kind = "throttle";
    else if (roll(r.unavailable)) d.kind = "unavailable";
    else if (roll(r.internal)) d.kind = "internal";
    else if (r.denied !== undefined && roll(r.denied)) d.kind = "denied";
    // A throttled or denied request was refused, never carried out: always "before".
    if (d.kind) d.after = d.kind === "throttle" || d.kind === "denied" ? false : pickAfter(r.timing);
    if (roll(r.delay)) d.delayMs = r.delayMs ?? 200;
    return d;
  }

  function forward(req: http.IncomingMessage, body: Buffer): Promise<Upstream> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: upstream.host, "content-length": String(body.length) };
      const out = http.request(
        { protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on("error", reject);
        },
      );
      out.on("error", reject);
      out.end(body);
    });
  }

  function sendError(res: http.ServerResponse, kind: "throttle" | "unavailable" | "internal" | "denied"): void {
    let status: number;
    let code: string;
    let message: string;
    if (kind === "denied") {
      status = 403;
      code = "AccessDenied";
      message = "User is not authorized to perform this action (injected by the fault proxy)";
    } else if (kind === "throttle") {
      status = 400;
      code = rand() < 0.5 ? "ThrottlingException" : "RequestThrottled";
      message = "Rate exceeded (injected by the fault proxy)";
    } else if (kind === "unavailable") {
      status = 503;
      code = "ServiceUnavailable";
      message = "Service is unavailable (injected by the fault proxy)";
    } else {
      status = 500;
      code = "InternalError";
      message = "We encountered an internal error (injected by the fault proxy)";
    }
    const payload = JSON.stringify({ __type: `com.amazonaws.sqs#${code}`, message });
    res.writeHead(status, {
      "content-type": "application/x-amz-json-1.0",
      "content-length": Buffer.byteLength(payload),
      "x-amzn-query-error": `${code};${status < 500 ? "Sender" : "Receiver"}`,
      "x-amzn-requestid": "fault-proxy",
    });
    res.end(payload);
  }

  /** Entries removed from a batch before forwarding, to be reported Failed in the answer. */
  interface Removed {
    Id: string;
    SenderFault: boolean;
    Code: string;
    Message: string;
  }

  function failEntriesBefore(action: string, request: { Entries?: Array<{ Id: string }> }): Removed[] {
    const r = ratesFor(action);
    const removed: Removed[] = [];
    if (!enabled || !request.Entries || (!r.entryFail && !r.entryReject)) return removed;
    const keep: Array<{ Id: string }> = [];
    for (const e of request.Entries) {
      // Two draws per entry, always, so the sequence does not depend on outcomes.
      const reject = rand() < (r.entryReject ?? 0);
      const fail = rand() < (r.entryFail ?? 0);
      const failBefore = fail && !pickAfter(r.entryTiming ?? r.timing);
      if (reject) {
        removed.push({ Id: e.Id, SenderFault: true, Code: "InvalidParameterValue", Message: "Entry rejected (injected by the fault proxy)" });
        count(action, "entryReject");
      } else if (failBefore) {
        removed.push({ Id: e.Id, SenderFault: false, Code: r.entryFailCode ?? "InternalError", Message: "Entry failed (injected by the fault proxy)" });
        count(action, "entryFail:before");
      } else {
        if (fail) (e as { __failAfter?: boolean }).__failAfter = true;
        keep.push(e);
      }
    }
    request.Entries = keep;
    return removed;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
    stats.requests += 1;
    const target = String(req.headers["x-amz-target"] ?? "");
    const action = target.includes(".") ? target.split(".").at(-1)! : "Unknown";
    cfg.onRequest?.(action, req.headers);
    const d = decide(action);
    const pause = () => new Promise((r) => setTimeout(r, d.delayMs));
    if (d.delayMs) count(action, "delay");
    if (d.delayMs && !d.delayAfter) await pause();

    if (d.kind && !d.after) {
      count(action, `${d.kind}:before`);
      if (d.kind === "drop") req.socket.destroy();
      else sendError(res, d.kind);
      return;
    }

    // Per-entry faults on batch actions: rewrite the request (before) and/or the answer (after).
    let removed: Removed[] = [];
    let failAfterIds = new Set<string>();
    let outBody = body;
    if (cfg.maxVisibilitySeconds !== undefined && /^(ReceiveMessage|ChangeMessageVisibility|ChangeMessageVisibilityBatch)$/.test(action)) {
      outBody = capVisibility(body, cfg.maxVisibilitySeconds);
    }
    if (BATCH_ACTIONS.has(action) && !d.kind) {
      let request: { Entries?: Array<{ Id: string; __failAfter?: boolean }> } | undefined;
      try {
        request = JSON.parse(outBody.toString("utf8")) as typeof request;
      } catch {
        request = undefined;
      }
      if (request?.Entries) {
        const originalCount = request.Entries.length;
        removed = failEntriesBefore(action, request);
        failAfterIds = new Set(request.Entries.filter((e) => e.__failAfter).map((e) => e.Id));
        for (const e of request.Entries) delete e.__failAfter;
        if (removed.length === originalCount) {
          // Nothing left to send: answer for the server, which would reject an empty batch.
          const payload = JSON.stringify({ Successful: [], Failed: removed });
          res.writeHead(200, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(payload) });
          res.end(payload);
          return;
        }
        if (removed.length || failAfterIds.size) outBody = Buffer.from(JSON.stringify(request));
      }
    }

    let up: Upstream;
    try {
      up = await forward(req, outBody);
      stats.forwarded += 1;
    } catch {
      req.socket.destroy();
      return;
    }
    if (d.delayMs && d.delayAfter) await pause();

    if (d.kind) {
      // After forwarding: the server acted; the client sees a failure or nothing.
      count(action, `${d.kind}:after`);
      if (up.status === 200) ambiguous(action, succeededEntries(action, up.body));
      if (d.kind === "drop") req.socket.destroy();
      else sendError(res, d.kind);
      return;
    }

    let answer = up.body;
    if (up.status === 200 && (removed.length || failAfterIds.size)) {
      const parsed = JSON.parse(up.body.toString("utf8")) as { Successful?: Array<{ Id: string }>; Failed?: Removed[] };
      const successful: Array<{ Id: string }> = [];
      const failed: Removed[] = [...(parsed.Failed ?? []), ...removed];
      for (const s of parsed.Successful ?? []) {
        if (failAfterIds.has(s.Id)) {
          failed.push({ Id: s.Id, SenderFault: false, Code: ratesFor(action).entryFailCode ?? "InternalError", Message: "Entry failed (injected by the fault proxy)" });
          count(action, "entryFail:after");
          ambiguous(action, 1);
        } else successful.push(s);
      }
      answer = Buffer.from(JSON.stringify({ ...parsed, Successful: successful, Failed: failed }));
    }
    const headers: http.OutgoingHttpHeaders = { ...up.headers, "content-length": answer.length };
    delete headers["transfer-encoding"];
    res.writeHead(up.status, headers);
    res.end(answer);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      handle(req, res, Buffer.concat(chunks)).catch(() => req.socket.destroy());
    });
  });
  const { port, endpoint, destroyAll } = await listenOnLoopback(server);

  return {
    endpoint,
    port,
    get stats() {
      return stats;
    },
    totalInjected() {
      return Object.entries(stats.injected)
        .filter(([k]) => k !== "delay")
        .reduce((n, [, v]) => n + v, 0);
    },
    setEnabled(on: boolean) {
      enabled = on;
    },
    configure(next: FaultConfig) {
      cfg = next;
      if (next.seed !== undefined) rand = mulberry32(next.seed);
      if (next.enabled !== undefined) enabled = next.enabled;
    },
    resetStats() {
      stats = emptyStats();
    },
    async close() {
      destroyAll();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function capVisibility(body: Buffer, max: number): Buffer {
  try {
    const req = JSON.parse(body.toString("utf8")) as { VisibilityTimeout?: number; Entries?: Array<{ VisibilityTimeout?: number }> };
    if (typeof req.VisibilityTimeout === "number") req.VisibilityTimeout = Math.min(req.VisibilityTimeout, max);
    else if (!req.Entries) req.VisibilityTimeout = max;
    for (const e of req.Entries ?? []) if (typeof e.VisibilityTimeout === "number") e.VisibilityTimeout = Math.min(e.VisibilityTimeout, max);
    return Buffer.from(JSON.stringify(req));
  } catch {
    return body;
  }
}

/**
 * How much of an upstream 200 answer the client will never learn about: the
 * successful entries of a batch, the messages a ReceiveMessage hid, or 1 call.
 */
function succeededEntries(action: string, body: Buffer): number {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { Successful?: unknown[]; Messages?: unknown[] };
    if (BATCH_ACTIONS.has(action)) return (parsed.Successful ?? []).length;
    if (action === "ReceiveMessage") return (parsed.Messages ?? []).length;
    return 1;
  } catch {
    return 0;
  }
}
