#!/usr/bin/env node
// Start-up time: `sqsctl --version` / `--help` against `node -e 0` on the same Node,
// and the AWS CLI for reference. Median and p90 wall time over N runs each.
// Run: npm run build && npx node bench/startup.mjs [runs]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const runs = Number(process.argv[2] ?? 30);
const bin = fileURLToPath(new URL("../bin/sqsctl.js", import.meta.url));
const node = process.execPath;

function time(cmd, args) {
  const samples = [];
  for (let i = 0; i < runs + 3; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: "ignore" });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}`);
    if (i >= 3) samples.push(ms); // the first runs warm the file cache
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], p90: samples[Math.floor(samples.length * 0.9)] };
}

const rows = [
  ["node -e 0", time(node, ["-e", "0"])],
  ["sqsctl --version", time(node, [bin, "--version"])],
  ["sqsctl --help", time(node, [bin, "--help"])],
  ["sqsctl help exit-codes", time(node, [bin, "help", "exit-codes"])],
];
for (const aws of ["/usr/bin/aws"]) {
  if (existsSync(aws)) {
    try {
      rows.push([`${aws} --version`, time(aws, ["--version"])]);
    } catch {
      /* not runnable here */
    }
  }
}
const base = rows[0][1].median;
console.log(`Node ${process.version}, ${runs} runs each (median / p90 wall ms, ratio to node -e 0)`);
console.log("| command | median ms | p90 ms | x node -e 0 |\n|---|---:|---:|---:|");
for (const [name, t] of rows) console.log(`| ${name} | ${t.median.toFixed(1)} | ${t.p90.toFixed(1)} | ${(t.median / base).toFixed(2)} |`);
