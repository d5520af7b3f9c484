import { randomUUID } from "node:crypto";
import http from "node:http";
import { listenOnLoopback } from "./loopback.js";

/**
 * A strict SQS layer for tests: an HTTP proxy on 127.0.0.1 in front of a real local server
 * (fauxqs, or any SQS-compatible server speaking the JSON protocol) that enforces the rules
 * AWS documents where the local servers are lenient. Chain it with the fault proxy as
 * client -> fault proxy -> strict layer -> server (`startFaultProxy(strict.endpoint, ...)`),
 * so a fault "after forwarding" means the strict layer (and the server) acted.
 *
 * What it enforces (AWS SQS API reference, DeleteMessage / ChangeMessageVisibility / ReceiveMessage):
 * - Receipt handles: every message a receive returns gets a fresh handle minted here; the
 *   layer remembers which handle is the NEWEST for each MessageId and when its visibility
 *   ends (the receive's or the last visibility change's timeout, counted from when the
 *   request arrived, so the layer's deadline is never later than the server's).
 *   A handle is STALE when the message was received again since (not the newest), and
 *   LAPSED when its visibility has ended. Strictness: a lapsed handle is treated like a
 *   stale one (AWS says such a delete "might not" delete; the layer takes the worst case).
 *   - DeleteMessage(Batch), standard queue, stale or lapsed handle: answers success and
 *     deletes NOTHING (counted in `stats.deletesNotDone`). FIFO: `ReceiptHandleIsInvalid`.
 *   - ChangeMessageVisibility(Batch): stale handle -> `ReceiptHandleIsInvalid`; lapsed
 *     handle (newest, but the message is no longer in flight) -> `MessageNotInflight`
 *     (the two errors the API reference lists; in a batch, a Failed entry with that Code,
 *     SenderFault true).
 *   - A handle this layer never minted -> `ReceiptHandleIsInvalid`.
 *   - A delete with the newest handle of a message already deleted succeeds (as on AWS).
 * - FIFO receives: AWS returns up to MaxNumberOfMessages of one message group per receive,
 *   in order; fauxqs returns one per group. So the layer holds FIFO messages itself: a
 *   receive on a `.fifo` queue first DRAINS the server's queue into an in-memory model
 *   (receive, then delete on the server, group by group, preserving order), then serves
 *   from the model with SQS's rules: a group with a message in flight is blocked; a receive
 *   takes as many consecutive messages of the first available group as it may, then the
 *   next group; ApproximateReceiveCount and ApproximateFirstReceiveTimestamp are kept; a
 *   message whose receive count reached the queue's RedrivePolicy maxReceiveCount moves to
 *   the dead-letter queue (into the DLQ's model with the same MessageId and a
 *   DeadLetterQueueSourceArn attribute when the DLQ is FIFO). Sends still go to the server
 *   (its validation, deduplication and sequence numbers). GetQueueAttributes through the
 *   layer adds the model's visible / in-flight counts; PurgeQueue and DeleteQueue clear it.
 *   Consequence for tests: count a FIFO queue THROUGH the layer (`strict.client`-style
 *   clients or `heldIds`), not on the server directly; messages in the model live only as
 *   long as the layer. Long polls on a model queue poll the server in 1 s slices.
 * - `inFlightLimit` (standard queues): SQS's in-flight quota (AWS: about 120,000). A receive
 *   returns at most what is left under it (counting receives still being answered); at the
 *   limit a short poll (WaitTimeSeconds 0) gets `OverLimit` (HTTP 403, SenderFault), and a
 *   long poll comes back empty after its wait, as the SQS quotas page documents ("If you
 *   use long polling, Amazon SQS returns no error messages"); `overLimitOnLongPoll` answers
 *   long polls with `OverLimit` too (the API reference's wording for ReceiveMessage).
 *   Counted in `stats.refused.OverLimit`.
 * - `maxVisibilitySeconds` caps the VisibilityTimeout of ReceiveMessage (including the
 *   queue's default when the request has none) and ChangeMessageVisibility(Batch), to force
 *   long runs past their hold.
 */

export interface StrictOptions {
  /** Cap for receive and change-visibility timeouts (seconds). */
  maxVisibilitySeconds?: number;
  /** SQS's in-flight limit on standard queues (see above). */
  inFlightLimit?: number;
  /** At the limit, long polls get `OverLimit` too instead of an empty answer. */
  overLimitOnLongPoll?: boolean;
  /** Hold FIFO queues in the layer to return several messages of a group per receive (default true). */
  fifoModel?: boolean;
  /**
   * SendMessage(Batch) entries the "server" refuses (SenderFault true, never forwarded),
   * for a real per-entry failure inside a successful batch call: return the Code (and
   * optionally Message) to refuse an entry, undefined to pass it on.
   */
  refuseEntry?: (entry: { Id?: string; MessageBody?: string; [k: string]: unknown }) => { Code: string; Message?: string } | undefined;
}

export interface StrictStats {
  /** Deliveries through the layer, per MessageId. */
  receives: Record<string, number>;
  /** MessageIds of deletes answered "success" that deleted nothing (stale or lapsed handle, standard queue). */
  deletesNotDone: string[];
  /** MessageIds really deleted through the layer. */
  deleted: string[];
  /** Refusals by code: ReceiptHandleIsInvalid, MessageNotInflight. */
  refused: Record<string, number>;
  /** Messages the FIFO model moved to a dead-letter queue, by MessageId. */
  deadLettered: string[];
}

export interface StrictSqs {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  port: number;
  stats: StrictStats;
  /** Deliveries of one MessageId through the layer. */
  receiveCount(messageId: string): number;
  /** When the newest hold on a MessageId ends (ms epoch), or undefined if never received or deleted. */
  holdEnds(messageId: string): number | undefined;
  /** MessageIds the FIFO model holds for a queue (visible and in flight). */
  heldIds(queueUrl: string): string[];
  configure(opts: StrictOptions): void;
  resetStats(): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

interface Answer {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

interface HandleInfo {
  messageId: string;
  key: string;
  /** The server's handle (standard queues); FIFO model messages have none. */
  upstream?: string;
}

interface Latest {
  handle: string;
  /** ms epoch when the visibility of `handle` ends. */
  deadline: number;
  deleted: boolean;
}

interface ModelMessage {
  id: string;
  /** The message as the server gave it, without its receipt handle. */
  raw: Json;
  group: string;
  receiveCount: number;
  firstReceive?: number;
  /** ms epoch; visible when <= now. */
  visibleAt: number;
}

interface QueueInfo {
  visibility: number;
  arn?: string;
  maxReceiveCount?: number;
  dlqArn?: string;
}

type HandleState = "valid" | "stale" | "lapsed" | "deleted" | "unknown";

const emptyStats = (): StrictStats => ({ receives: {}, deletesNotDone: [], deleted: [], refused: {}, deadLettered: [] });

/** The queue's key: the URL's path (`/account/name`), the same whatever host the URL names. */
export function queueKey(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/+$/, "");
  } catch {
    return url;
  }
}

const keyFromArn = (arn: string): string => {
  const parts = arn.split(":");
  return `/${parts[4]}/${parts[5]}`;
};

function jsonAnswer(status: number, payload: unknown): Answer {
  const body = Buffer.from(JSON.stringify(payload));
  return { status, headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": randomUUID() }, body };
}

function errorAnswer(code: "ReceiptHandleIsInvalid" | "MessageNotInflight" | "OverLimit", message: string): Answer {
  const a = jsonAnswer(code === "OverLimit" ? 403 : 400, { __type: `com.amazonaws.sqs#${code}`, message });
  const query = code === "MessageNotInflight" ? "AWS.SimpleQueueService.MessageNotInflight" : code;
  a.headers["x-amzn-query-error"] = `${query};Sender`;
  return a;
}

export async function startStrictSqs(target: string, options: StrictOptions = {}): Promise<StrictSqs> {
  const upstreamUrl = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let opts = options;
  let stats = emptyStats();
  const handles = new Map<string, HandleInfo>();
  const latest = new Map<string, Latest>();
  const models = new Map<string, ModelMessage[]>();
  let closed = false;

  /** Messages receives still being answered may take, per queue (for `inFlightLimit`). */
  const reserved = new Map<string, number>();
  /** Messages of a (standard) queue in flight through the layer: newest hold neither deleted nor over. */
  const inFlightCount = (key: string, now: number) => {
    let n = 0;
    for (const l of latest.values()) if (!l.deleted && l.deadline > now && handles.get(l.handle)?.key === key) n += 1;
    return n;
  };
  const refuse = (code: string) => (stats.refused[code] = (stats.refused[code] ?? 0) + 1);
  const cap = (seconds: number) => (opts.maxVisibilitySeconds === undefined ? seconds : Math.min(seconds, opts.maxVisibilitySeconds));
  const usesModel = (key: string) => (opts.fifoModel ?? true) && key.endsWith(".fifo");

  function call(action: string, body: Buffer, headers: http.IncomingHttpHeaders = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const h: http.OutgoingHttpHeaders = {
        ...headers,
        host: upstreamUrl.host,
        "content-type": headers["content-type"] ?? "application/x-amz-json-1.0",
        "x-amz-target": `AmazonSQS.${action}`,
        "content-length": String(body.length),
      };
      const out = http.request(
        { hostname: upstreamUrl.hostname, port: upstreamUrl.port, method: "POST", path: "/", headers: h, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const hdrs: http.OutgoingHttpHeaders = { ...res.headers };
            delete hdrs["transfer-encoding"];
            delete hdrs["content-length"];
            delete hdrs.connection;
            resolve({ status: res.statusCode ?? 502, headers: hdrs, body: Buffer.concat(chunks) });
          });
          res.on("error", reject);
        },
      );
      out.on("error", reject);
      out.end(body);
    });
  }

  async function callJson(action: string, payload: Json): Promise<Json> {
    const a = await call(action, Buffer.from(JSON.stringify(payload)));
    if (a.status !== 200) throw new Error(`strict layer: ${action} upstream answered ${a.status}: ${a.body.toString("utf8")}`);
    return a.body.length ? (JSON.parse(a.body.toString("utf8")) as Json) : {};
  }

  async function queueInfo(url: string): Promise<QueueInfo> {
    const out = await callJson("GetQueueAttributes", { QueueUrl: url, AttributeNames: ["All"] });
    const attrs = (out.Attributes ?? {}) as Record<string, string>;
    const info: QueueInfo = { visibility: Number(attrs.VisibilityTimeout ?? 30), arn: attrs.QueueArn };
    if (attrs.RedrivePolicy) {
      const p = JSON.parse(attrs.RedrivePolicy) as { maxReceiveCount?: number | string; deadLetterTargetArn?: string };
      info.maxReceiveCount = Number(p.maxReceiveCount);
      info.dlqArn = p.deadLetterTargetArn;
    }
    return info;
  }

  function mint(info: HandleInfo, deadline: number): string {
    const handle = `strict-${randomUUID()}`;
    handles.set(handle, info);
    latest.set(info.messageId, { handle, deadline, deleted: false });
    stats.receives[info.messageId] = (stats.receives[info.messageId] ?? 0) + 1;
    return handle;
  }

  function stateOf(handle: string, now: number): { state: HandleState; info?: HandleInfo } {
    const info = handles.get(handle);
    if (!info) return { state: "unknown" };
    const l = latest.get(info.messageId);
    if (!l) return { state: "unknown", info };
    if (l.deleted) return { state: l.handle === handle ? "deleted" : "stale", info };
    if (l.handle !== handle) return { state: "stale", info };
    if (now >= l.deadline) return { state: "lapsed", info };
    return { state: "valid", info };
  }

  // ---- FIFO model ----------------------------------------------------------------------

  const model = (key: string): ModelMessage[] => {
    let m = models.get(key);
    if (!m) models.set(key, (m = []));
    return m;
  };

  /** Moves every message the server has for this queue into the model, in order. */
  async function drain(url: string, waitSeconds: number): Promise<void> {
    const m = model(queueKey(url));
    let wait = waitSeconds;
    for (;;) {
      const out = await callJson("ReceiveMessage", {
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: wait,
        VisibilityTimeout: 120,
        AttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      });
      wait = 0;
      const got = (out.Messages ?? []) as Json[];
      if (!got.length) return;
      for (const msg of got) {
        const { ReceiptHandle: _h, ...raw } = msg;
        const attrs = (raw.Attributes ?? {}) as Record<string, string>;
        m.push({ id: String(raw.MessageId), raw, group: attrs.MessageGroupId ?? "", receiveCount: Math.max(0, Number(attrs.ApproximateReceiveCount ?? 1) - 1), visibleAt: 0 });
      }
      await callJson("DeleteMessageBatch", { QueueUrl: url, Entries: got.map((msg, i) => ({ Id: `d${i}`, ReceiptHandle: msg.ReceiptHandle })) });
    }
  }

  async function deadLetter(msg: ModelMessage, info: QueueInfo): Promise<void> {
    stats.deadLettered.push(msg.id);
    const dlqKey = keyFromArn(info.dlqArn!);
    const attrs = { ...((msg.raw.Attributes ?? {}) as Record<string, string>) };
    if (info.arn) attrs.DeadLetterQueueSourceArn = info.arn;
    if (dlqKey.endsWith(".fifo") && (opts.fifoModel ?? true)) {
      model(dlqKey).push({ ...msg, raw: { ...msg.raw, Attributes: attrs }, receiveCount: 0, visibleAt: 0 });
      return;
    }
    const parts = info.dlqArn!.split(":");
    const urlOut = await callJson("GetQueueUrl", { QueueName: parts[5], QueueOwnerAWSAccountId: parts[4] });
    await callJson("SendMessage", { QueueUrl: urlOut.QueueUrl, MessageBody: msg.raw.Body, MessageAttributes: msg.raw.MessageAttributes });
  }

  /** Takes what a FIFO receive may return now, following SQS's group rules. */
  async function serve(url: string, info: QueueInfo, max: number, visibility: number): Promise<ModelMessage[]> {
    const key = queueKey(url);
    const m = model(key);
    const now = Date.now();
    const blocked = new Set(m.filter((x) => x.visibleAt > now).map((x) => x.group));
    const taken: ModelMessage[] = [];
    const groups: string[] = [];
    for (const x of m) if (!blocked.has(x.group) && !groups.includes(x.group)) groups.push(x.group);
    for (const g of groups) {
      for (const x of m.filter((y) => y.group === g)) {
        if (taken.length >= max) break;
        if (info.maxReceiveCount !== undefined && info.dlqArn && x.receiveCount >= info.maxReceiveCount) {
          m.splice(m.indexOf(x), 1);
          await deadLetter(x, info);
          continue;
        }
        taken.push(x);
      }
      if (taken.length >= max) break;
    }
    for (const x of taken) {
      x.receiveCount += 1;
      x.firstReceive ??= now;
      x.visibleAt = now + visibility * 1000;
    }
    return taken;
  }

  function present(x: ModelMessage, handle: string, req: Json): Json {
    const names = new Set([...((req.AttributeNames ?? []) as string[]), ...((req.MessageSystemAttributeNames ?? []) as string[])]);
    const all = { ...((x.raw.Attributes ?? {}) as Record<string, string>), ApproximateReceiveCount: String(x.receiveCount), ApproximateFirstReceiveTimestamp: String(x.firstReceive) };
    const out: Json = { MessageId: x.id, ReceiptHandle: handle, MD5OfBody: x.raw.MD5OfBody, Body: x.raw.Body };
    if (names.size) {
      const attrs: Record<string, string> = {};
      for (const [k, v] of Object.entries(all)) if (names.has("All") || names.has(k)) attrs[k] = v;
      out.Attributes = attrs;
    }
    const wanted = (req.MessageAttributeNames ?? []) as string[];
    const ma = x.raw.MessageAttributes as Record<string, unknown> | undefined;
    if (ma && wanted.length) {
      const pick = (n: string) => wanted.some((w) => w === "All" || w === ".*" || w === n || (w.endsWith(".*") && n.startsWith(w.slice(0, -1))));
      const chosen = Object.fromEntries(Object.entries(ma).filter(([n]) => pick(n)));
      if (Object.keys(chosen).length) {
        out.MessageAttributes = chosen;
        if (Object.keys(chosen).length === Object.keys(ma).length) out.MD5OfMessageAttributes = x.raw.MD5OfMessageAttributes;
      }
    }
    return out;
  }

  async function receiveFromModel(req: Json, abandoned: () => boolean): Promise<Answer> {
    const url = String(req.QueueUrl);
    const info = await queueInfo(url);
    const visibility = cap(typeof req.VisibilityTimeout === "number" ? req.VisibilityTimeout : info.visibility);
    const max = Number(req.MaxNumberOfMessages ?? 1);
    const deadline = Date.now() + 1000 * Number(req.WaitTimeSeconds ?? 0);
    let taken: ModelMessage[] = [];
    for (let first = true; ; first = false) {
      const left = deadline - Date.now();
      await drain(url, first ? 0 : Math.max(0, Math.min(1, Math.floor(left / 1000))));
      taken = await serve(url, info, max, visibility);
      if (taken.length || Date.now() >= deadline || abandoned() || closed) break;
      if (left < 1000) await new Promise((r) => setTimeout(r, Math.min(left, 100)));
    }
    const start = Date.now();
    const messages = taken.map((x) => present(x, mint({ messageId: x.id, key: queueKey(url) }, start + visibility * 1000), req));
    return jsonAnswer(200, messages.length ? { Messages: messages } : {});
  }

  // ---- actions ---------------------------------------------------------------------------

  async function receive(req: Json, headers: http.IncomingHttpHeaders, abandoned: () => boolean): Promise<Answer> {
    const url = String(req.QueueUrl);
    const key = queueKey(url);
    if (usesModel(key)) return receiveFromModel(req, abandoned);
    let reservedHere = 0;
    if (opts.inFlightLimit !== undefined) {
      const room = opts.inFlightLimit - inFlightCount(key, Date.now()) - (reserved.get(key) ?? 0);
      if (room <= 0) {
        refuse("OverLimit");
        const wait = Number(req.WaitTimeSeconds ?? 0);
        if (wait === 0 || opts.overLimitOnLongPoll) return errorAnswer("OverLimit", "Too many messages in flight.");
        const until = Date.now() + wait * 1000;
        while (Date.now() < until && !abandoned() && !closed) await new Promise((r) => setTimeout(r, 50));
        return jsonAnswer(200, {});
      }
      reservedHere = Math.min(room, Number(req.MaxNumberOfMessages ?? 1));
      reserved.set(key, (reserved.get(key) ?? 0) + reservedHere);
      req = { ...req, MaxNumberOfMessages: reservedHere };
    }
    const info = await queueInfo(url);
    const visibility = cap(typeof req.VisibilityTimeout === "number" ? req.VisibilityTimeout : info.visibility);
    const start = Date.now();
    let a: Answer;
    try {
      a = await call("ReceiveMessage", Buffer.from(JSON.stringify({ ...req, VisibilityTimeout: visibility })), headers);
    } finally {
      if (reservedHere) reserved.set(key, reserved.get(key)! - reservedHere);
    }
    if (a.status !== 200) return a;
    const out = JSON.parse(a.body.toString("utf8")) as { Messages?: Json[] };
    for (const msg of out.Messages ?? []) {
      msg.ReceiptHandle = mint({ messageId: String(msg.MessageId), key, upstream: String(msg.ReceiptHandle) }, start + visibility * 1000);
    }
    return jsonAnswer(200, out);
  }

  /** One delete entry's outcome: undefined = do it; otherwise the answer for it. */
  function judgeDelete(handle: string, key: string, now: number): { ok: true; info?: HandleInfo; forward: boolean } | { ok: false; code: "ReceiptHandleIsInvalid" } {
    const { state, info } = stateOf(handle, now);
    if (state === "valid") return { ok: true, info, forward: true };
    if (state === "deleted") return { ok: true, info, forward: false };
    if (state === "unknown" || key.endsWith(".fifo")) {
      refuse("ReceiptHandleIsInvalid");
      return { ok: false, code: "ReceiptHandleIsInvalid" };
    }
    // Standard queue, stale or lapsed: "succeeds", deletes nothing.
    stats.deletesNotDone.push(info!.messageId);
    return { ok: true, info, forward: false };
  }

  function judgeVisibility(handle: string, now: number): { ok: true; info: HandleInfo } | { ok: false; code: "ReceiptHandleIsInvalid" | "MessageNotInflight" } {
    const { state, info } = stateOf(handle, now);
    if (state === "valid") return { ok: true, info: info! };
    const code = state === "lapsed" ? "MessageNotInflight" : "ReceiptHandleIsInvalid";
    refuse(code);
    return { ok: false, code };
  }

  const markDeleted = (info: HandleInfo) => {
    const l = latest.get(info.messageId);
    if (l && !l.deleted) {
      l.deleted = true;
      stats.deleted.push(info.messageId);
    }
    if (!info.upstream) {
      const m = model(info.key);
      const i = m.findIndex((x) => x.id === info.messageId);
      if (i >= 0) m.splice(i, 1);
    }
  };

  const setVisibility = (info: HandleInfo, seconds: number, start: number) => {
    const l = latest.get(info.messageId)!;
    l.deadline = start + seconds * 1000;
    if (!info.upstream) {
      const x = model(info.key).find((y) => y.id === info.messageId);
      if (x) x.visibleAt = l.deadline;
    }
  };

  interface Entry {
    Id: string;
    ReceiptHandle: string;
    VisibilityTimeout?: number;
  }

  /** DeleteMessageBatch and ChangeMessageVisibilityBatch. */
  async function batch(action: "DeleteMessageBatch" | "ChangeMessageVisibilityBatch", req: Json, headers: http.IncomingHttpHeaders): Promise<Answer> {
    const url = String(req.QueueUrl);
    const key = queueKey(url);
    const entries = (req.Entries ?? []) as Entry[];
    if (!entries.length) return call(action, Buffer.from(JSON.stringify(req)), headers);
    const now = Date.now();
    const successful: Array<{ Id: string }> = [];
    const failed: Array<{ Id: string; SenderFault: boolean; Code: string; Message: string }> = [];
    const forward: Array<{ entry: Entry; info: HandleInfo }> = [];
    for (const e of entries) {
      const j = action === "DeleteMessageBatch" ? judgeDelete(e.ReceiptHandle, key, now) : judgeVisibility(e.ReceiptHandle, now);
      if (!j.ok) failed.push({ Id: e.Id, SenderFault: true, Code: j.code, Message: `${j.code} (strict layer)` });
      else if (("forward" in j && !j.forward) || !j.info) successful.push({ Id: e.Id });
      else if (!j.info.upstream) {
        if (action === "DeleteMessageBatch") markDeleted(j.info);
        else setVisibility(j.info, cap(e.VisibilityTimeout ?? 0), now);
        successful.push({ Id: e.Id });
      } else forward.push({ entry: e, info: j.info });
    }
    if (forward.length) {
      const outEntries = forward.map(({ entry, info }) =>
        action === "DeleteMessageBatch"
          ? { Id: entry.Id, ReceiptHandle: info.upstream }
          : { Id: entry.Id, ReceiptHandle: info.upstream, VisibilityTimeout: cap(entry.VisibilityTimeout ?? 0) },
      );
      const a = await call(action, Buffer.from(JSON.stringify({ ...req, Entries: outEntries })), headers);
      if (a.status !== 200) return a;
      const out = JSON.parse(a.body.toString("utf8")) as { Successful?: Array<{ Id: string }>; Failed?: typeof failed };
      for (const s of out.Successful ?? []) {
        const f = forward.find((x) => x.entry.Id === s.Id);
        if (f) {
          if (action === "DeleteMessageBatch") markDeleted(f.info);
          else setVisibility(f.info, cap(f.entry.VisibilityTimeout ?? 0), now);
        }
        successful.push(s);
      }
      failed.push(...(out.Failed ?? []));
    }
    return jsonAnswer(200, { Successful: successful, Failed: failed });
  }

  async function single(action: "DeleteMessage" | "ChangeMessageVisibility", req: Json, headers: http.IncomingHttpHeaders): Promise<Answer> {
    const key = queueKey(String(req.QueueUrl));
    const now = Date.now();
    const handle = String(req.ReceiptHandle);
    const j = action === "DeleteMessage" ? judgeDelete(handle, key, now) : judgeVisibility(handle, now);
    if (!j.ok) return errorAnswer(j.code, j.code === "MessageNotInflight" ? "The specified message isn't in flight." : "The specified receipt handle isn't valid.");
    const seconds = cap(Number(req.VisibilityTimeout ?? 0));
    if (("forward" in j && !j.forward) || !j.info) return jsonAnswer(200, {});
    if (!j.info.upstream) {
      if (action === "DeleteMessage") markDeleted(j.info);
      else setVisibility(j.info, seconds, now);
      return jsonAnswer(200, {});
    }
    const body = action === "DeleteMessage" ? { ...req, ReceiptHandle: j.info.upstream } : { ...req, ReceiptHandle: j.info.upstream, VisibilityTimeout: seconds };
    const a = await call(action, Buffer.from(JSON.stringify(body)), headers);
    if (a.status === 200) {
      if (action === "DeleteMessage") markDeleted(j.info);
      else setVisibility(j.info, seconds, now);
    }
    return a;
  }

  /** SendMessageBatch with `refuseEntry`: refused entries are answered Failed here, the rest go on. */
  async function sendBatch(req: Json, headers: http.IncomingHttpHeaders): Promise<Answer> {
    const entries = (req.Entries ?? []) as Array<{ Id?: string; MessageBody?: string }>;
    const failed: Array<{ Id: string; SenderFault: boolean; Code: string; Message: string }> = [];
    const pass = entries.filter((e) => {
      const r = opts.refuseEntry!(e);
      if (r) {
        refuse(r.Code);
        failed.push({ Id: String(e.Id), SenderFault: true, Code: r.Code, Message: r.Message ?? `${r.Code} (strict layer)` });
      }
      return !r;
    });
    if (!pass.length) return jsonAnswer(200, { Successful: [], Failed: failed });
    const a = await call("SendMessageBatch", Buffer.from(JSON.stringify({ ...req, Entries: pass })), headers);
    if (a.status !== 200) return a;
    const out = JSON.parse(a.body.toString("utf8")) as { Successful?: unknown[]; Failed?: typeof failed };
    return jsonAnswer(200, { Successful: out.Successful ?? [], Failed: [...(out.Failed ?? []), ...failed] });
  }

  async function queueAttributes(req: Json, raw: Buffer, headers: http.IncomingHttpHeaders): Promise<Answer> {
    const a = await call("GetQueueAttributes", raw, headers);
    const key = queueKey(String(req.QueueUrl));
    const m = models.get(key);
    if (a.status !== 200 || !m?.length) return a;
    const out = JSON.parse(a.body.toString("utf8")) as { Attributes?: Record<string, string> };
    const now = Date.now();
    const inFlight = m.filter((x) => x.visibleAt > now).length;
    const attrs = out.Attributes ?? {};
    if (attrs.ApproximateNumberOfMessages !== undefined) attrs.ApproximateNumberOfMessages = String(Number(attrs.ApproximateNumberOfMessages) + m.length - inFlight);
    if (attrs.ApproximateNumberOfMessagesNotVisible !== undefined) attrs.ApproximateNumberOfMessagesNotVisible = String(Number(attrs.ApproximateNumberOfMessagesNotVisible) + inFlight);
    return jsonAnswer(200, out);
  }

  async function handle(req: http.IncomingMessage, body: Buffer, abandoned: () => boolean): Promise<Answer> {
    const target = String(req.headers["x-amz-target"] ?? "");
    const action = target.includes(".") ? target.split(".").at(-1)! : "";
    const headers = { ...req.headers };
    delete headers.host;
    delete headers["content-length"];
    delete headers["x-amz-target"];
    let parsed: Json | undefined;
    try {
      parsed = JSON.parse(body.toString("utf8")) as Json;
    } catch {
      parsed = undefined;
    }
    if (!parsed || !action) return call(action || "Unknown", body, headers);
    const key = queueKey(String(parsed.QueueUrl ?? ""));
    switch (action) {
      case "ReceiveMessage":
        return receive(parsed, headers, abandoned);
      case "DeleteMessage":
      case "ChangeMessageVisibility":
        return single(action, parsed, headers);
      case "DeleteMessageBatch":
      case "ChangeMessageVisibilityBatch":
        return batch(action, parsed, headers);
      case "GetQueueAttributes":
        return queueAttributes(parsed, body, headers);
      case "SendMessageBatch":
        return opts.refuseEntry ? sendBatch(parsed, headers) : call(action, body, headers);
      case "PurgeQueue":
      case "DeleteQueue":
        models.delete(key);
        return call(action, body, headers);
      default:
        return call(action, body, headers);
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let gone = false;
    res.on("close", () => (gone = true));
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      handle(req, Buffer.concat(chunks), () => gone)
        .then((a) => {
          if (gone) return;
          res.writeHead(a.status, { ...a.headers, "content-length": a.body.length });
          res.end(a.body);
        })
        .catch(() => req.socket.destroy());
    });
  });
  const { port, endpoint, destroyAll } = await listenOnLoopback(server);

  return {
    endpoint,
    port,
    get stats() {
      return stats;
    },
    receiveCount: (id) => stats.receives[id] ?? 0,
    holdEnds: (id) => {
      const l = latest.get(id);
      return l && !l.deleted ? l.deadline : undefined;
    },
    heldIds: (url) => (models.get(queueKey(url)) ?? []).map((x) => x.id),
    configure(next) {
      opts = next;
    },
    resetStats() {
      stats = emptyStats();
    },
    async close() {
      closed = true;
      destroyAll();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
