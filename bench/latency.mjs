#!/usr/bin/env node
// Throughput at a real region's latency: sqsctl with NO tuning flags against a raw SDK loop
// at ITS best concurrency, with bench/delay-proxy.mjs adding DELAY ms to every call (and
// on plain loopback with delay 0). fauxqs (`sqsctl local`) runs in its own process; each
// tool runs as its own process; runs are interleaved; medians of --reps.
//   npm run build && npx node bench/latency.mjs [--delays 25,0] [--what send-batch,export,inspect,redrive]
//     [--lines 20000] [--n 5000] [--reps 3] [--raw-conc 8,16,32,64,128] [--raw-receivers 4,8,16,32]
// send-batch: bench/raw-loader.mjs at each --raw-conc vs `sqsctl send-batch Q FILE`.
// export / inspect: bench/raw-receive-loop.mjs (write / count by errorType, then release)
//   at each --raw-receivers vs `sqsctl export Q --file F` / `sqsctl dlq inspect Q --group-by json.errorType`.
// redrive: bench/raw-redrive-loop.mjs at each --raw-conc vs `sqsctl dlq redrive DLQ --strategy manual --yes`.
// --also-bin PATH/bin/sqsctl.js: a second build (e.g. main's) run in the same reps, interleaved.
// Besides the ratio of medians, each row gives the PAIRED ratios: per rep, the best raw wall of
// that rep over sqsctl's wall in it, and their median (steadier when the machine's load drifts).
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { startDelayProxy } from "./delay-proxy.mjs";
import { BIN, cliEnv, dlqScene, drop, fill, median, node, run, sdk, startServer } from "./lib.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? dflt : process.argv[i + 1];
};
const list = (s) => s.split(",").filter(Boolean);
const DELAYS = list(arg("--delays", "25,0")).map(Number);
const WHAT = list(arg("--what", "send-batch,export,inspect,redrive"));
const LINES = Number(arg("--lines", "20000"));
const N = Number(arg("--n", "5000"));
const REPS = Number(arg("--reps", "3"));
const RAW_CONC = list(arg("--raw-conc", "8,16,32,64,128")).map(Number);
const RAW_RECV = list(arg("--raw-receivers", "4,8,16,32")).map(Number);
const SQSCTL_ARGS = list(arg("--sqsctl-args", "")); // e.g. --concurrency,32 to try a fixed value
const ALSO = arg("--also-bin", undefined);
const BINS = [BIN, ...(ALSO ? [ALSO] : [])];
const bench = (f) => fileURLToPath(new URL(f, import.meta.url));
const home = mkdtempSync(join(tmpdir(), "sqsctl-bench-"));

const server = await startServer("fauxqs");
const client = sdk(server.endpoint);
const count = async (url) => {
  const r = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
  return Number(r.Attributes.ApproximateNumberOfMessages) + Number(r.Attributes.ApproximateNumberOfMessagesNotVisible);
};
let q = 0;
const freshQueue = async () => (await client.send(new CreateQueueCommand({ QueueName: `lat-${process.pid}-${++q}` }))).QueueUrl;

const file = join(home, "lines.ndjson");
{
  const out = createWriteStream(file);
  for (let i = 1; i <= LINES; i++) if (!out.write(`${JSON.stringify({ body: JSON.stringify({ id: i, pad: "x".repeat(160) }) })}\n`)) await once(out, "drain");
  out.end();
  await once(out, "finish");
}

const rows = [];
function report(delay, what, units, raw, clis) {
  // raw: Map(concurrency -> [seconds]); clis: [[seconds] per build in BINS]
  const rawRates = [...raw].map(([c, s]) => [c, units / median(s)]);
  const [bestC, bestRate] = rawRates.reduce((a, b) => (b[1] > a[1] ? b : a));
  const cliRate = units / median(clis[0]);
  // Paired: in each rep, sqsctl's wall against the best raw wall of that same rep (the load
  // drifts between reps on a shared machine; within a rep the runs are back to back).
  const paired = clis[0].map((w, i) => Math.min(...[...raw.values()].map((s) => s[i])) / w);
  const also = clis[1] ? units / median(clis[1]) : undefined;
  const row = {
    delay, what, units, raw: Object.fromEntries(rawRates.map(([c, r]) => [c, Math.round(r)])), bestC, bestRate: Math.round(bestRate), sqsctl: Math.round(cliRate), ratio: +(cliRate / bestRate).toFixed(2), pairedMedian: +median(paired).toFixed(2), paired: paired.map((x) => +x.toFixed(2)),
    ...(also ? { also: Math.round(also), alsoRatio: +(also / bestRate).toFixed(2) } : {}),
    walls: { raw: Object.fromEntries([...raw].map(([c, s]) => [c, s.map((x) => +x.toFixed(2))])), sqsctl: clis.map((s) => s.map((x) => +x.toFixed(2))) },
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}

try {
  for (const delay of DELAYS) {
    const proxy = delay > 0 ? await startDelayProxy(server.endpoint, delay) : undefined;
    const endpoint = proxy?.endpoint ?? server.endpoint;
    const env = cliEnv(endpoint, home);
    if (WHAT.includes("send-batch")) {
      const raw = new Map(RAW_CONC.map((c) => [c, []]));
      const cli = BINS.map(() => []);
      for (let rep = 0; rep < REPS; rep++) {
        for (const c of RAW_CONC) {
          const url = await freshQueue();
          raw.get(c).push((await run(node, [bench("./raw-loader.mjs"), endpoint, url, file, String(c)], env)).wall);
          if ((await count(url)) !== LINES) throw new Error("raw loader lost messages");
          await drop(client, url);
        }
        for (const [b, bin] of BINS.entries()) {
          const url = await freshQueue();
          cli[b].push((await run(node, [bin, "send-batch", url, file, "-o", "json", "-q", ...SQSCTL_ARGS], env)).wall);
          if ((await count(url)) !== LINES) throw new Error("sqsctl lost messages");
          await drop(client, url);
        }
      }
      report(delay, "send-batch", LINES, raw, cli);
    }
    for (const what of WHAT.filter((w) => w === "export" || w === "inspect")) {
      const s = await dlqScene(client, N);
      const raw = new Map(RAW_RECV.map((c) => [c, []]));
      const cli = BINS.map(() => []);
      const out = join(home, "export.ndjson");
      for (let rep = 0; rep < REPS; rep++) {
        for (const c of RAW_RECV) {
          const r = await run(node, [bench("./raw-receive-loop.mjs"), endpoint, s.dlq, String(c), what === "export" ? "write" : "count", out], env);
          if (JSON.parse(r.stdout).received !== N) throw new Error(`raw receive loop saw ${r.stdout}`);
          raw.get(c).push(r.wall);
        }
        const args = what === "export" ? ["export", s.dlqName, "--file", out] : ["dlq", "inspect", s.dlqName, "--group-by", "json.errorType"];
        for (const [b, bin] of BINS.entries()) {
          const r = await run(node, [bin, ...args, "-o", "json", "-q", ...SQSCTL_ARGS], env);
          const seen = what === "export" ? JSON.parse(r.stdout).exported : JSON.parse(r.stdout).summary.scanned;
          if (seen !== N) throw new Error(`sqsctl ${what} saw ${seen} of ${N}`);
          cli[b].push(r.wall);
        }
      }
      report(delay, what, N, raw, cli);
      await drop(client, s.dlq, s.src);
    }
    if (WHAT.includes("redrive")) {
      const raw = new Map(RAW_CONC.map((c) => [c, []]));
      const cli = BINS.map(() => []);
      for (let rep = 0; rep < REPS; rep++) {
        for (const c of RAW_CONC) {
          const s = await dlqScene(client, N);
          raw.get(c).push((await run(node, [bench("./raw-redrive-loop.mjs"), endpoint, s.dlq, s.src, String(c)], env)).wall);
          if ((await count(s.src)) !== N) throw new Error("raw redrive lost messages");
          await drop(client, s.dlq, s.src);
        }
        for (const [b, bin] of BINS.entries()) {
          const s = await dlqScene(client, N);
          cli[b].push((await run(node, [bin, "dlq", "redrive", s.dlqName, "--strategy", "manual", "--yes", "-o", "json", "-q", ...SQSCTL_ARGS], env)).wall);
          if ((await count(s.src)) !== N) throw new Error("sqsctl redrive lost messages");
          await drop(client, s.dlq, s.src);
        }
      }
      report(delay, "redrive", N, raw, cli);
    }
    await proxy?.close();
  }
} finally {
  client.destroy();
  server.stop();
  rmSync(home, { recursive: true, force: true });
}
console.log(`\nNode ${process.version}; msg/s (whole processes, medians of ${REPS}); raw at each concurrency, sqsctl with no tuning flags${SQSCTL_ARGS.length ? ` (${SQSCTL_ARGS.join(" ")})` : ""}`);
console.log(`| delay/call | what | messages | raw msg/s by concurrency | best raw | sqsctl | sqsctl / best raw | paired ratios (median) |${ALSO ? " also-bin | also / best raw |" : ""}\n|---:|---|---:|---|---:|---:|---:|---|${ALSO ? "---:|---:|" : ""}`);
for (const r of rows)
  console.log(`| ${r.delay} ms | ${r.what} | ${r.units} | ${Object.entries(r.raw).map(([c, v]) => `${c}: ${v}`).join(", ")} | ${r.bestRate} (c=${r.bestC}) | ${r.sqsctl} | **${r.ratio}** | ${r.paired.join(", ")} (${r.pairedMedian}) |${ALSO ? ` ${r.also} | ${r.alsoRatio} |` : ""}`);
