#!/usr/bin/env node
// Completion latency: what a TAB costs. The static part (commands, flags, values) is
// pure bash; queue names run `sqsctl __complete-queues`, from the cache or refreshed
// from an embedded server (run as `sqsctl local` in a child process) holding 50 queues.
// Median / p90 wall ms over N runs.
// Run: npm run build && npx node bench/completion.mjs [runs]
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const runs = Number(process.argv[2] ?? 30);
const bin = fileURLToPath(new URL("../bin/sqsctl.js", import.meta.url));
const script = fileURLToPath(new URL("../completions/sqsctl.bash", import.meta.url));
const stats = (samples) => {
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], p90: samples[Math.floor(samples.length * 0.9)] };
};

// 1. Static completion: N calls of the bash function in one shell, timed inside bash.
const loops = 500;
const r = spawnSync(
  "bash",
  ["--norc", "-c", `source '${script}'; COMP_WORDS=(sqsctl queues create x --vis); COMP_CWORD=4; s=$EPOCHREALTIME; for ((i=0;i<${loops};i++)); do _sqsctl; done; e=$EPOCHREALTIME; echo "$s $e"`],
  { encoding: "utf8" },
);
const [s, e] = r.stdout.trim().split(" ").map(Number);
const staticMs = ((e - s) * 1000) / loops;

// 2. Queue names.
const server = spawn(process.execPath, [bin, "local", "--port", "0", "-o", "json"], { stdio: ["ignore", "pipe", "ignore"] });
const { port } = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(JSON.parse(String(d)))));
const env = { PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), "sqsctl-bench-")), SQSCTL_LOCAL_PORT: String(port) };
for (let i = 0; i < 50; i++) spawnSync(process.execPath, [bin, "--local", "queues", "create", `bench-${i}`], { env, stdio: "ignore" });
const once = (fresh) => {
  if (fresh) rmSync(join(env.HOME, ".cache"), { recursive: true, force: true });
  const t0 = process.hrtime.bigint();
  const out = spawnSync(process.execPath, [bin, "__complete-queues", "--", "--local", "queues", "show"], { env, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const n = out.stdout.split("\n").filter(Boolean).length;
  if (n !== 50) throw new Error(`expected 50 names, got ${n}: ${out.stderr}`);
  return ms;
};
const sample = (fresh) => {
  once(fresh);
  return stats(Array.from({ length: runs }, () => once(fresh)));
};
const cold = sample(true);
const hit = sample(false);
const node = stats(Array.from({ length: runs }, () => {
  const t0 = process.hrtime.bigint();
  spawnSync(process.execPath, ["-e", "0"]);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}));
server.kill("SIGTERM");

console.log(`Node ${process.version}, ${runs} runs each (wall ms)`);
console.log("| what | median ms | p90 ms |\n|---|---:|---:|");
console.log(`| bash: commands/flags/values (\`_sqsctl\`, no process started) | ${staticMs.toFixed(2)} | |`);
console.log(`| node -e 0 (for scale) | ${node.median.toFixed(1)} | ${node.p90.toFixed(1)} |`);
console.log(`| queue names, cache hit | ${hit.median.toFixed(1)} | ${hit.p90.toFixed(1)} |`);
console.log(`| queue names, cache cold (ListQueues on loopback, 50 queues) | ${cold.median.toFixed(1)} | ${cold.p90.toFixed(1)} |`);
