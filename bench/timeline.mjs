#!/usr/bin/env node
// Where one run's wall time goes at a region's latency: every SQS call of one process, as
// the delay proxy (bench/delay-proxy.mjs) sees it, against the time the process was spawned.
// Runs `sqsctl dlq inspect DLQ --group-by json.errorType` (and/or `sqsctl export`) and the
// raw receive loop (bench/raw-receive-loop.mjs count/write at --raw-receivers) on a fresh
// DLQ of --n messages each time, --reps times, interleaved, and prints each run's timeline:
// the calls before the first receive, the receive phase, the calls after it, the release,
// and the exit (ms since spawn).
//   npm run build && npx node bench/timeline.mjs [--delay 25] [--n 2500] [--reps 2] [--what inspect,export] [--raw-receivers 32] [--also-bin PATH]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDelayProxy } from "./delay-proxy.mjs";
import { BIN, cliEnv, dlqScene, drop, node, run, sdk, startServer } from "./lib.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? dflt : process.argv[i + 1];
};
const DELAY = Number(arg("--delay", "25"));
const N = Number(arg("--n", "2500"));
const REPS = Number(arg("--reps", "2"));
const WHAT = arg("--what", "inspect").split(",");
const RAW_R = Number(arg("--raw-receivers", "32"));
const ALSO = arg("--also-bin", undefined);
const home = mkdtempSync(join(tmpdir(), "sqsctl-timeline-"));
const server = await startServer("fauxqs");
const client = sdk(server.endpoint);
let calls = [];
const proxy = await startDelayProxy(server.endpoint, DELAY, 0, (c) => calls.push(c));
const env = cliEnv(proxy.endpoint, home);
const raw = fileURLToPath(new URL("./raw-receive-loop.mjs", import.meta.url));

const ms = (x) => Math.round(x);
function draw(label, t0, wall, cpu) {
  const cs = calls.map((c) => ({ ...c, at: c.at - t0, end: c.end - t0 })).sort((a, b) => a.at - b.at);
  const recv = cs.filter((c) => c.action === "ReceiveMessage");
  const full = recv.filter((c) => c.bytes > 40);
  const empty = recv.filter((c) => c.bytes <= 40);
  const rel = cs.filter((c) => c.action === "ChangeMessageVisibilityBatch");
  const firstRecv = recv[0]?.at ?? Infinity;
  const lastRecv = Math.max(...recv.map((c) => c.end));
  const other = cs.filter((c) => c.action !== "ReceiveMessage" && c.action !== "ChangeMessageVisibilityBatch");
  const lines = [`${label}: wall ${ms(wall * 1000)} ms, CPU ${cpu.toFixed(2)} s, ${cs.length} calls`];
  lines.push(`  first call at ${ms(cs[0]?.at ?? NaN)} (start-up)`);
  for (const c of other.filter((c) => c.at < firstRecv)) lines.push(`  ${c.action} ${ms(c.at)}–${ms(c.end)}${c.status >= 400 ? ` (HTTP ${c.status})` : ""}`);
  lines.push(`  ReceiveMessage: first ${ms(firstRecv)}, ${full.length} with messages (last ends ${ms(Math.max(...full.map((c) => c.end)))}), ${empty.length} empty (start ${ms(Math.min(...empty.map((c) => c.at)))}–${ms(Math.max(...empty.map((c) => c.at)))}, end ${ms(Math.min(...empty.map((c) => c.end)))}–${ms(Math.max(...empty.map((c) => c.end)))})`);
  for (const c of other.filter((c) => c.at >= firstRecv)) lines.push(`  ${c.action} ${ms(c.at)}–${ms(c.end)}${c.status >= 400 ? ` (HTTP ${c.status})` : ""}`);
  if (rel.length) lines.push(`  ChangeMessageVisibilityBatch ×${rel.length}: ${ms(rel[0].at)}–${ms(Math.max(...rel.map((c) => c.end)))}`);
  lines.push(`  last receive ends ${ms(lastRecv)}; exit ${ms(wall * 1000)}`);
  console.log(lines.join("\n"));
}

async function once(label, cmd, args) {
  calls = [];
  const t0 = performance.now();
  const r = await run(node, [cmd, ...args], env);
  draw(label, t0, r.wall, r.cpu);
}

try {
  for (let rep = 0; rep < REPS; rep++) {
    for (const what of WHAT) {
      const mode = what === "export" ? "write" : "count";
      const out = join(home, "out.ndjson");
      const cli = what === "export" ? (s) => ["export", s.dlqName, "--file", out, "-o", "json", "-q"] : (s) => ["dlq", "inspect", s.dlqName, "--group-by", "json.errorType", "-o", "json", "-q"];
      for (const [label, cmd, args] of [
        [`raw ${mode} (${RAW_R})`, raw, (s) => [proxy.endpoint, s.dlq, String(RAW_R), mode, out]],
        [`sqsctl ${what}`, BIN, cli],
        ...(ALSO ? [[`also-bin ${what}`, ALSO, cli]] : []),
      ]) {
        const s = await dlqScene(client, N);
        await once(`rep ${rep + 1} ${label}`, cmd, args(s));
        await drop(client, s.dlq, s.src);
      }
    }
  }
} finally {
  await proxy.close();
  client.destroy();
  server.stop();
  rmSync(home, { recursive: true, force: true });
}
