#!/usr/bin/env node
// Start-up of real commands as whole processes: each sqsctl command against a hand-written
// SDK script making the same calls (bench/raw-sdk-calls.mjs), plus --help/--version against
// `node -e 0`. The embedded server (`sqsctl local`) runs in its own process on loopback.
// Runs are interleaved (every round runs every command once, in a shuffled order) and the
// median of the rounds is reported. The raw script runs twice: as written (Node's defaults)
// and with NODE_COMPILE_CACHE on, as sqsctl's bin turns it on; sqsctl runs twice too: as
// shipped (its bin turns the compile cache on) and with NODE_DISABLE_COMPILE_CACHE=1.
// Run: npm run build && npx node bench/startup-commands.mjs [rounds=30] [only=REGEX]
// (only: keep the cases whose name matches, plus node -e 0). SQSCTL_BENCH_BIN=/x/bin/sqsctl.js
// measures another build (e.g. main, built in a checkout of its own) the same way;
// SQSCTL_BENCH_BASE=/x/bin/sqsctl.js adds that build's rows ("base: ...") to the same
// interleaved run, for a before/after pair measured side by side. SQSCTL_BENCH_DELAY=25 puts
// bench/delay-proxy.mjs between every process and the server (25 ms a call, as a region).
// Besides the raw script making sqsctl's calls, "raw minimal" makes only the calls the job
// needs (bench/raw-sdk-calls.mjs --minimal), as the shortest hand-written script would.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const rounds = Number(process.argv[2] ?? 30);
const only = process.argv[3] ? new RegExp(process.argv[3]) : undefined;
const bin = process.env.SQSCTL_BENCH_BIN || fileURLToPath(new URL("../bin/sqsctl.js", import.meta.url));
const base = process.env.SQSCTL_BENCH_BASE;
const raw = fileURLToPath(new URL("./raw-sdk-calls.mjs", import.meta.url));
const node = process.execPath;
const home = mkdtempSync(join(tmpdir(), "sqsctl-bench-"));

const server = spawn(node, [bin, "local", "--port", "0", "-o", "json"], { stdio: ["ignore", "pipe", "ignore"] });
const { port } = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(JSON.parse(String(d)))));
const delay = Number(process.env.SQSCTL_BENCH_DELAY ?? 0);
// In a process of its own: this one blocks in spawnSync while each command runs.
const proxyProcess = delay > 0 ? spawn(node, [fileURLToPath(new URL("./delay-proxy.mjs", import.meta.url)), `http://127.0.0.1:${port}`, String(delay)], { stdio: ["ignore", "pipe", "inherit"] }) : undefined;
const proxy = proxyProcess && (await new Promise((resolve) => proxyProcess.stdout.once("data", (d) => resolve(JSON.parse(String(d))))));
const env = {
  PATH: process.env.PATH,
  HOME: home,
  XDG_STATE_HOME: join(home, "state"),
  AWS_ENDPOINT_URL_SQS: proxy?.endpoint ?? `http://127.0.0.1:${port}`,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
};
const cacheEnv = { ...env, NODE_COMPILE_CACHE: join(home, "raw-compile-cache") };
const noCacheEnv = { ...env, NODE_DISABLE_COMPILE_CACHE: "1" };
const sh = (args) => spawnSync(node, [bin, ...args], { env, encoding: "utf8" });
for (const q of ["bench-a", "bench-b", "bench-c", "bench-p", "bench-dlq"]) sh(["queues", "create", q]);
sh(["queues", "create", "bench-src", "--dlq", "bench-dlq"]);
sh(["send", "bench-a", "hello"]);

const cases = [
  ["node -e 0", [node, "-e", "0"], env],
  ["sqsctl --version", [node, bin, "--version"], env],
  ["sqsctl --help", [node, bin, "--help"], env],
  ["sqsctl queues --help", [node, bin, "queues", "--help"], env],
  // A global option in front: Commander answers (the whole tree, or one area), not dist/help.json.
  ["sqsctl --no-color --help", [node, bin, "--no-color", "--help"], env],
  ["sqsctl --no-color queues --help", [node, bin, "--no-color", "queues", "--help"], env],
];
const MINIMAL = new Set(["queues create (exists)", "send", "receive --max 1 --peek", "purge --yes"]);
for (const [cmd, sqsctlArgs, rawArgs] of [
  ["queues list", ["queues", "list"], ["list"]],
  ["queues create (exists)", ["queues", "create", "bench-b"], ["create", "bench-b"]],
  ["send", ["send", "bench-c", "hello"], ["send", "bench-c"]],
  ["receive --max 1 --peek", ["receive", "bench-a", "--max", "1", "--peek"], ["receive", "bench-a"]],
  ["purge --yes", ["purge", "bench-p", "--yes"], ["purge", "bench-p"]],
  ["dlq list", ["dlq", "list"], ["dlq-list"]],
]) {
  cases.push([`sqsctl, compile cache off: ${cmd}`, [node, bin, ...sqsctlArgs], noCacheEnv, cmd]);
  cases.push([`sqsctl ${cmd}`, [node, bin, ...sqsctlArgs], env, cmd]);
  cases.push([`raw SDK script: ${cmd}`, [node, raw, ...rawArgs], env, cmd]);
  cases.push([`raw SDK script + compile cache: ${cmd}`, [node, raw, ...rawArgs], cacheEnv, cmd]);
  if (MINIMAL.has(cmd)) cases.push([`raw minimal: ${cmd}`, [node, raw, "--minimal", ...rawArgs], env, cmd]);
}

// The base build: the same sqsctl cases, run with its bin.
if (base) for (const c of cases.filter((c) => c[0].startsWith("sqsctl"))) cases.push([`base: ${c[0]}`, c[1].map((a) => (a === bin ? base : a)), c[2], c[3]]);
if (only) cases.splice(0, cases.length, ...cases.filter((c) => c[0] === "node -e 0" || only.test(c[0])));
const samples = new Map(cases.map((c) => [c[0], []]));
// CPU time (user + system, all threads) of each process, from `perf stat` (task-clock, in
// ms) when it works here, else GNU time (10 ms steps): on a shared, loaded machine wall time
// mostly measures the other work; CPU time much less so.
const cpuSamples = new Map(cases.map((c) => [c[0], []]));
const tool = [
  ["perf", ["stat", "-x,", "-e", "task-clock", "--"], /([\d.]+),msec,task-clock/, 1],
  ["/usr/bin/time", ["-f", "@@cpu %U %S"], /@@cpu ([\d.]+) ([\d.]+)/, 1000],
].find(([cmd, args, re]) => re.test(spawnSync(cmd, [...args, node, "-e", "0"], { encoding: "utf8" }).stderr ?? ""));
const runOnce = ([name, [cmd, ...args], e]) => {
  const t0 = process.hrtime.bigint();
  const r = tool
    ? spawnSync(tool[0], [...tool[1], cmd, ...args], { env: e, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" })
    : spawnSync(cmd, args, { env: e, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
  const cpu = tool?.[2].exec(r.stderr);
  if (cpu) cpuSamples.get(name).push((Number(cpu[1]) + Number(cpu[2] ?? 0)) * tool[3]);
  return ms;
};
try {
  for (const c of cases) runOnce(c), runOnce(c); // warm the file cache and both compile caches
  for (let i = 0; i < rounds; i++) {
    const order = [...cases].sort(() => Math.random() - 0.5);
    for (const c of order) samples.get(c[0]).push(runOnce(c));
  }
} finally {
  proxyProcess?.kill("SIGTERM");
  server.kill("SIGTERM");
}
rmSync(home, { recursive: true, force: true });

const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p90: s[Math.floor(s.length * 0.9)] };
};
const node0 = stat(samples.get("node -e 0")).median;
const cpuOf = (name) => (cpuSamples.get(name).length ? stat(cpuSamples.get(name)).median : NaN);
console.log(`${delay ? `${delay} ms a call (delay proxy), ` : ""}Node ${process.version}, ${rounds} interleaved rounds (wall ms; ratios of medians; CPU: user+system ms of the process, from ${tool?.[0] ?? "(not measured)"})`);
console.log("| command | median ms | p90 ms | x node -e 0 | x raw script | x raw script + compile cache | CPU ms | CPU x raw + cache |\n|---|---:|---:|---:|---:|---:|---:|---:|");
const row = (name, cmd) => {
  const t = stat(samples.get(name));
  const vsRaw = cmd ? (t.median / stat(samples.get(`raw SDK script: ${cmd}`)).median).toFixed(2) : "";
  const vsRawCache = cmd ? (t.median / stat(samples.get(`raw SDK script + compile cache: ${cmd}`)).median).toFixed(2) : "";
  const cpu = cpuOf(name);
  const cpuVs = cmd && !name.startsWith("raw") ? (cpu / cpuOf(`raw SDK script + compile cache: ${cmd}`)).toFixed(2) : "";
  console.log(`| ${name} | ${t.median.toFixed(1)} | ${t.p90.toFixed(1)} | ${(t.median / node0).toFixed(2)} | ${name.startsWith("raw") ? "" : vsRaw} | ${name.startsWith("raw") ? "" : vsRawCache} | ${Number.isNaN(cpu) ? "" : cpu.toFixed(0)} | ${cpuVs} |`);
};
for (const [name, , , cmd] of cases) {
  if (name.startsWith("raw")) continue;
  row(name, cmd);
  if (cmd && name === `sqsctl ${cmd}`) for (const r of [`raw SDK script: ${cmd}`, `raw SDK script + compile cache: ${cmd}`]) row(r, cmd);
}
const minimalRows = cases.filter((c) => c[0].startsWith("raw minimal: "));
if (minimalRows.length) {
  console.log("\n| command | sqsctl median ms | raw minimal median ms | sqsctl x raw minimal |\n|---|---:|---:|---:|");
  for (const [name, , , cmd] of minimalRows) {
    for (const who of [`sqsctl ${cmd}`, `base: sqsctl ${cmd}`].filter((w) => samples.has(w))) {
      const a = stat(samples.get(who)).median;
      const b = stat(samples.get(name)).median;
      console.log(`| ${who} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(a / b).toFixed(2)} |`);
    }
  }
}
