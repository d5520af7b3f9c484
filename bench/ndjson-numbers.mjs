#!/usr/bin/env node
// The cost of refusing NDJSON numbers that would not survive as written
// (src/core/json-numbers.ts) on send-batch's validation path: parseInputLine per line,
// for three kinds of input. Run after `npm run build`: node bench/ndjson-numbers.mjs
// Compare against another build with SQSCTL_BENCH_DIST=/path/to/dist.
const dist = process.env.SQSCTL_BENCH_DIST ?? new URL("../dist", import.meta.url).pathname;
const { parseInputLine } = await import(`${dist}/core/message-input.js`);
const rules = { raw: false, fifo: false, contentBasedDedup: false, maxMessageSize: 262144 };
const kinds = {
  "text body": (i) => JSON.stringify({ body: `order ${i} failed at step 3` }),
  "JSON body with numbers": (i) => JSON.stringify({ body: { orderId: i, amount: 1234.5, ts: 1763769600000 + i }, messageAttributes: { n: 3, tag: "x" } }),
  "digits that look lossy, in text": (i) => JSON.stringify({ body: `ref 12345678901234567890 v1.10 id ${i}` }),
};
const N = 200_000;
for (const [name, make] of Object.entries(kinds)) {
  const lines = Array.from({ length: N }, (_, i) => make(i));
  const times = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    for (let i = 0; i < N; i++) parseInputLine(lines[i], i + 1, rules);
    times.push(((performance.now() - t) / N) * 1000);
  }
  times.sort((a, b) => a - b);
  console.log(`${name}: median ${times[2].toFixed(2)} µs/line (min ${times[0].toFixed(2)})`);
}
