#!/usr/bin/env node
// What THE holder keeps per held message, measured in one process (no server, no calls):
// N messages shaped like a ReceiveMessage answer (JSON-parsed, ~300 B JSON body, the
// system attributes a local server returns, a UUID MessageId and receipt handle) are
// added 10 at a time; the heap is measured after a full GC before and after.
//   npm run build && npx node --expose-gc bench/holder-memory.mjs [--n 100000] [--handle-bytes 36]
// Modes: full (the holder keeps every message whole), lean (HolderOptions.lean), and
// lighten (whole, then `lighten` once the caller is done with them: the manual redrive's
// left messages). SQSCTL_BENCH_DIST=/path/to/dist-dev measures another build.
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? dflt : process.argv[i + 1];
};
const N = Number(arg("--n", "100000"));
const HANDLE = Number(arg("--handle-bytes", "36")); // fauxqs: a UUID; local-aws-sqs: ~160 B of base64; AWS: ~400
const dist = process.env.SQSCTL_BENCH_DIST || new URL("../dist-dev/", import.meta.url).pathname;
const { Holder } = await import(pathToFileURL(`${dist}/sqs/custody/holder.js`).href);
const { fromSqsMessage } = await import(pathToFileURL(`${dist}/core/envelope.js`).href);
if (typeof globalThis.gc !== "function") throw new Error("run with node --expose-gc");

const types = ["Timeout", "Declined", "Invalid", "Throttled"];
/** One answer of 10 messages, as the SDK hands it over (JSON.parse of the wire text). */
function answer(start) {
  const now = Date.now();
  const messages = Array.from({ length: 10 }, (_, j) => {
    const i = start + j;
    const handle = (randomUUID() + "x".repeat(Math.max(0, HANDLE - 36))).slice(0, HANDLE);
    return {
      MessageId: randomUUID(),
      ReceiptHandle: handle,
      MD5OfBody: "0123456789abcdef0123456789abcdef",
      Body: JSON.stringify({ orderId: `o-${i}`, errorType: types[i % 4], detail: "d".repeat(220) }),
      Attributes: { ApproximateReceiveCount: "1", SentTimestamp: String(now), SenderId: "AIDAEXAMPLE", ApproximateFirstReceiveTimestamp: String(now) },
    };
  });
  return JSON.parse(JSON.stringify({ Messages: messages })).Messages;
}
const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
const ctx = { send: () => Promise.reject(new Error("no calls in this bench")) };

const rows = [];
const modes = typeof Holder.prototype.lighten === "function" ? ["full", "lean", "lighten"] : ["full", "lean"];
for (const mode of modes) {
  const before = heap();
  const holder = new Holder(ctx, "http://bench/q", { holdSeconds: 3600, fifo: false, lean: mode === "lean" });
  for (let i = 0; i < N; i += 10) {
    const batch = answer(i).map((m) => ({ envelope: fromSqsMessage(m), receiptHandle: m.ReceiptHandle, raw: m }));
    const fresh = holder.add(batch);
    if (mode === "lighten") holder.lighten(fresh.map((h) => h.envelope.messageId));
  }
  const bytes = heap() - before;
  rows.push({ mode, n: holder.size, mb: +(bytes / 1e6).toFixed(1), perMessage: Math.round(bytes / N) });
  globalThis.__keep = holder; // held until the measurement above
  globalThis.__keep = undefined;
}
console.log(`Node ${process.version}; ${dist}; N=${N}; receipt handle ${HANDLE} B`);
console.log("| mode | held | heap MB | bytes a message |\n|---|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.mode} | ${r.n} | ${r.mb} | ${r.perMessage} |`);
process.exit(0);
