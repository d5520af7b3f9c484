#!/usr/bin/env node
// Start-up of help ON A TERMINAL: each command runs in a real pseudo-terminal
// (@lydell/node-pty, the tests' pty), side by side with `node -e 0` in the same kind of pty.
// stdout is a TTY there, which is the path bench/startup-commands.mjs (stdout a pipe) does
// not see. Every round runs every case once, in a shuffled order; medians. The time is
// from spawn to the exit event, with all output read.
// Run: npm run build && npx node bench/startup-tty.mjs [rounds=30] [cols=120]
// SQSCTL_BENCH_BIN=/other/checkout/bin/sqsctl.js measures another build the same way;
// SQSCTL_BENCH_BASE=/x/bin/sqsctl.js adds that build's rows ("base: ...") to the same run.
import { fileURLToPath } from "node:url";
import pty from "@lydell/node-pty";

const rounds = Number(process.argv[2] ?? 30);
const cols = Number(process.argv[3] ?? 120);
const bin = process.env.SQSCTL_BENCH_BIN || fileURLToPath(new URL("../bin/sqsctl.js", import.meta.url));
const node = process.execPath;
const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? "/tmp", TERM: "xterm-256color" };

const cases = [
  ["node -e 0", ["-e", "0"]],
  ["sqsctl --version", [bin, "--version"]],
  ["sqsctl --help", [bin, "--help"]],
  ["sqsctl queues --help", [bin, "queues", "--help"]],
  ["sqsctl dlq redrive -h", [bin, "dlq", "redrive", "-h"]],
  ["sqsctl help exit-codes", [bin, "help", "exit-codes"]],
  ["sqsctl --no-color --help", [bin, "--no-color", "--help"]],
];

const baseBin = process.env.SQSCTL_BENCH_BASE;
if (baseBin) for (const [name, args] of cases.filter((c) => c[0].startsWith("sqsctl"))) cases.push([`base: ${name}`, args.map((a) => (a === bin ? baseBin : a))]);

const runOnce = ([name, args]) =>
  new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = pty.spawn(node, args, { cols, rows: 40, env });
    let out = "";
    child.onData((d) => (out += d));
    child.onExit(({ exitCode }) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (exitCode !== 0) reject(new Error(`${name} exited ${exitCode}: ${out}`));
      else resolve({ ms, out });
    });
  });

const samples = new Map(cases.map((c) => [c[0], []]));
const outputs = new Map();
for (const c of cases) outputs.set(c[0], (await runOnce(c), await runOnce(c)).out); // warm caches
for (let i = 0; i < rounds; i++) {
  const order = [...cases].sort(() => Math.random() - 0.5);
  for (const c of order) samples.get(c[0]).push((await runOnce(c)).ms);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];
const base = median(samples.get("node -e 0"));
console.log(`Node ${process.version}, pty ${cols} columns, ${rounds} interleaved rounds (wall ms; ratios of medians)`);
console.log("| command (stdout a terminal) | median ms | p90 ms | x node -e 0 |\n|---|---:|---:|---:|");
for (const [name] of cases) {
  const s = samples.get(name);
  console.log(`| ${name} | ${median(s).toFixed(1)} | ${p90(s).toFixed(1)} | ${(median(s) / base).toFixed(2)} |`);
}
// What the terminal got: the help must be the same with and without the fast path.
const escapes = [...outputs.entries()].filter(([, o]) => /\u001b\[[0-9;]*m/.test(o)).map(([n]) => n);
console.log(`\ncolour escapes in the output: ${escapes.length ? escapes.join(", ") : "none"}`);
console.log(`--help and --no-color --help print the same: ${outputs.get("sqsctl --help") === outputs.get("sqsctl --no-color --help")}`);
