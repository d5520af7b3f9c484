// Samples process.memoryUsage() every 100 ms; at exit appends the peaks to $MEMPROBE_OUT.
const fs = require("node:fs");
const peak = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
const t = setInterval(() => {
  const m = process.memoryUsage();
  for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k]);
}, 100);
t.unref();
process.on("exit", () => {
  const mb = Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round(v / 1e6)]));
  fs.appendFileSync(process.env.MEMPROBE_OUT, JSON.stringify({ label: process.env.MEMPROBE_LABEL, argv: process.argv.slice(2, 4).join(" "), ...mb }) + "\n");
});
