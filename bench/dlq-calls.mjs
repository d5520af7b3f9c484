#!/usr/bin/env node
// What a big DLQ scan spends its calls on: the DLQ triage commands of bench/dlq-scale.mjs
// (and the raw receive loop) run through bench/delay-proxy.mjs (delay 0 unless --delay),
// which counts every call by SQS action and batch entries (ChangeMessageVisibilityBatch
// split into renewals and releases). With --prof DIR each CLI run also writes a V8 CPU
// profile there (node --cpu-prof).
//   npm run build && npx node bench/dlq-calls.mjs [--n 30000] [--server fauxqs|local-aws-sqs]
//     [--steps raw,inspect,dry-run,export] [--receivers 16] [--delay 0] [--prof DIR]
// SQSCTL_BENCH_BIN=/path/to/bin/sqsctl.js measures another build.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDelayProxy } from "./delay-proxy.mjs";
import { BIN, attr, cliEnv, dlqScene, drop, node, run, sdk, startServer } from "./lib.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? dflt : process.argv[i + 1];
};
const N = Number(arg("--n", "30000"));
const KIND = arg("--server", "fauxqs");
const STEPS = arg("--steps", "raw,inspect,dry-run,export").split(",");
const R = arg("--receivers", "16");
const DELAY = Number(arg("--delay", "0"));
const PROF = arg("--prof", undefined);
const raw = fileURLToPath(new URL("./raw-receive-loop.mjs", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "sqsctl-bench-"));
const FILTER = "json.errorType == 'Timeout'";

const server = await startServer(KIND);
const client = sdk(server.endpoint);
const proxy = await startDelayProxy(server.endpoint, DELAY);
const env = cliEnv(proxy.endpoint, home);
const cli = (args) => [...(PROF ? ["--cpu-prof", "--cpu-prof-dir", PROF] : []), BIN, ...args];
const rows = [];
try {
  const s = await dlqScene(client, N);
  const file = join(home, "out.ndjson");
  const steps = {
    raw: [node, [raw, proxy.endpoint, s.dlq, R, "count"]],
    inspect: [node, cli(["dlq", "inspect", s.dlqName, "--group-by", "json.errorType", "-o", "json", "-q"])],
    "dry-run": [node, cli(["dlq", "redrive", s.dlqName, "--to", s.srcName, "--filter", FILTER, "--strategy", "manual", "--dry-run", "--yes", "-o", "json", "-q"])],
    export: [node, cli(["export", s.dlqName, "--file", file, "-o", "json", "-q"])],
  };
  for (const name of STEPS) {
    for (let i = 0; i < 60 && Number(await attr(client, s.dlq, "ApproximateNumberOfMessagesNotVisible")) > 0; i++) await new Promise((r) => setTimeout(r, 500));
    proxy.reset();
    const [cmd, args] = steps[name];
    const r = await run(cmd, args, env, { allowFail: true });
    const row = { step: name, n: N, seconds: +r.wall.toFixed(2), cpuSeconds: +r.cpu.toFixed(2), rssMb: Math.round(r.rssMb), exit: r.code, calls: proxy.byAction() };
    rows.push(row);
    console.error(JSON.stringify(row));
  }
  await drop(client, s.dlq, s.src);
} finally {
  await proxy.close();
  client.destroy();
  server.stop();
  rmSync(home, { recursive: true, force: true });
}
console.log(`Node ${process.version}; ${BIN}; ${KIND}; ${N} messages; delay ${DELAY} ms; raw loop: ${R} receivers`);
console.log("| step | wall s | CPU s | peak RSS MB | exit | calls by action (calls / entries) |\n|---|---:|---:|---:|---:|---|");
for (const r of rows) {
  const calls = Object.entries(r.calls).map(([a, c]) => `${a} ${c.calls}${c.entries ? ` / ${c.entries}` : ""}`).join("; ");
  console.log(`| ${r.step} | ${r.seconds} | ${r.cpuSeconds} | ${r.rssMb} | ${r.exit} | ${calls} |`);
}
