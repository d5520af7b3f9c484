#!/usr/bin/env node
// Triage aggregation at scale: the heap the aggregator keeps for N envelopes (1 KiB
// bodies, 4 failure kinds, sent over 6 hours), against keeping the envelopes
// themselves, and the time to aggregate them (JMESPath --group-by on each).
// Run: npm run build && npx node --expose-gc bench/triage.mjs [n]
import { compileExpression } from "../dist-dev/core/filter.js";
import { TriageAggregator } from "../dist-dev/core/triage.js";

const n = Number(process.argv[2] ?? 100_000);
const gc = globalThis.gc ?? (() => undefined);
const kinds = ["ValidationError", "PaymentDeclined", "Timeout", "DuplicateOrder"];
const t0 = Date.UTC(2026, 10, 29, 12, 0);
const envelope = (i) => ({
  messageId: `m-${i}-${"0".repeat(28)}`,
  body: JSON.stringify({ orderId: `ord-${i}`, errorType: kinds[i % 4], pad: "x".repeat(960) }),
  sentAt: new Date(t0 + Math.floor((i / n) * 6 * 3600_000)).toISOString(),
  receiveCount: 4,
  messageAttributes: { channel: { DataType: "String", StringValue: "web" } },
});
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

let base = heap();
const agg = new TriageAggregator({ groupBy: compileExpression("json.errorType", "--group-by"), knownSources: ["orders"] });
const start = process.hrtime.bigint();
for (let i = 0; i < n; i++) agg.add(envelope(i)); // each envelope is garbage once added
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const aggBytes = heap() - base;
const groups = agg.result();
const timeline = agg.timeline({ now: t0 + 6 * 3600_000 });

base = heap();
const kept = Array.from({ length: n }, (_, i) => envelope(i));
const keptBytes = heap() - base;

const mib = (b) => (b / 1048576).toFixed(1);
console.log(`| ${n} | ${mib(aggBytes)} | ${mib(keptBytes)} | ${ms.toFixed(0)} | ${Math.round(n / (ms / 1000))} | ${groups.length} groups, ${timeline.buckets.length} buckets of ${timeline.bucket} |`);
if (kept.length !== n) throw new Error("unreachable");
