#!/usr/bin/env node
// A big DLQ: time, peak RSS and scaling of the DLQ triage commands against a raw SDK
// receive loop, on both local servers (each in its own process, no added latency).
//   npm run build && npx node bench/dlq-scale.mjs [--sizes 10000,100000] [--servers fauxqs,local-aws-sqs]
//     [--receivers 16] [--skip raw,inspect,dry-run,export,redrive]   (raw: the raw loops, e.g. for a second build beside a run that has them)
// For each server and size: one DLQ (with a source queue whose redrive policy names it)
// holding N ~300 B JSON messages, errorType cycling over 4 values. In order:
//   raw count   bench/raw-receive-loop.mjs R count   (hold all, count by errorType, release)
//   inspect     sqsctl dlq inspect DLQ --group-by json.errorType
//   dry-run     sqsctl dlq redrive DLQ --filter "json.errorType == 'Timeout'" --dry-run --yes
//   raw write   bench/raw-receive-loop.mjs R write F
//   export      sqsctl export DLQ --file F
//   redrive     sqsctl dlq redrive DLQ --filter "json.errorType == 'Timeout'" --strategy manual --yes (moves N/4)
// Every command runs as its own process under /usr/bin/time (wall s, peak RSS).
// SQSCTL_BENCH_BIN=/path/to/bin/sqsctl.js measures another build.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BIN, attr, cliEnv, dlqScene, drop, node, run, sdk, startServer } from "./lib.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? dflt : process.argv[i + 1];
};
const SIZES = arg("--sizes", "10000").split(",").map(Number);
const SERVERS = arg("--servers", "fauxqs,local-aws-sqs").split(",");
const R = arg("--receivers", "16");
const SKIP = arg("--skip", "").split(",");
const raw = fileURLToPath(new URL("./raw-receive-loop.mjs", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "sqsctl-bench-"));
const FILTER = "json.errorType == 'Timeout'";
const rows = [];

for (const kind of SERVERS) {
  const server = await startServer(kind);
  const client = sdk(server.endpoint);
  const env = cliEnv(server.endpoint, home);
  try {
    for (const n of SIZES) {
      const t0 = performance.now();
      const s = await dlqScene(client, n);
      console.error(`${kind} ${n}: filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const file = join(home, "out.ndjson");
      const step = async (label, cmd, args, check) => {
        // Wait until every message is visible again (the previous step released them).
        for (let i = 0; i < 60 && Number(await attr(client, s.dlq, "ApproximateNumberOfMessagesNotVisible")) > 0; i++) await new Promise((r) => setTimeout(r, 500));
        let r;
        try {
          // A step that exits non-zero (e.g. a server quirk the end rule refuses) is timed and measured too.
          r = await run(cmd, args, env, { allowFail: true });
        } catch (err) {
          const msg = String(err.message).split("\n").find((l) => l.startsWith("error:")) ?? String(err.message).split("\n")[0];
          const row = { server: kind, n, step: label, seconds: NaN, msgPerS: NaN, rssMb: NaN, note: `FAILED: ${msg}` };
          rows.push(row);
          console.error(JSON.stringify(row));
          return undefined;
        }
        const failed = r.code !== 0 ? `exit ${r.code}: ${r.stderr.split("\n").find((l) => l.startsWith("error:")) ?? "?"}` : "";
        const note = failed || (check ? check(r) : "");
        const row = { server: kind, n, step: label, seconds: +r.wall.toFixed(2), msgPerS: Math.round(n / r.wall), rssMb: Math.round(r.rssMb), note };
        rows.push(row);
        console.error(JSON.stringify(row));
        return r;
      };
      if (!SKIP.includes("raw")) await step("raw receive loop: count by errorType", node, [raw, server.endpoint, s.dlq, R, "count"], (r) => `received ${JSON.parse(r.stdout).received}`);
      if (!SKIP.includes("inspect")) await step("dlq inspect --group-by json.errorType", node, [BIN, "dlq", "inspect", s.dlqName, "--group-by", "json.errorType", "-o", "json", "-q"], (r) => `${r.stdout.length} B out`);
      if (!SKIP.includes("dry-run")) await step(`dlq redrive --filter (1/4) --dry-run`, node, [BIN, "dlq", "redrive", s.dlqName, "--to", s.srcName, "--filter", FILTER, "--strategy", "manual", "--dry-run", "--yes", "-o", "json", "-q"]);
      if (!SKIP.includes("export")) {
        if (!SKIP.includes("raw")) await step("raw receive loop: write NDJSON", node, [raw, server.endpoint, s.dlq, R, "write", file], () => `${(statSync(file).size / 1e6).toFixed(1)} MB`);
        await step("export --file", node, [BIN, "export", s.dlqName, "--file", file, "-o", "json", "-q"], () => `${(statSync(file).size / 1e6).toFixed(1)} MB`);
      }
      if (!SKIP.includes("redrive")) {
        await step(`dlq redrive --filter (1/4) --strategy manual`, node, [BIN, "dlq", "redrive", s.dlqName, "--to", s.srcName, "--filter", FILTER, "--strategy", "manual", "--yes", "-o", "json", "-q"], () => `moved, ${0} left`);
        const last = rows.at(-1);
        const counts = `target ${await attr(client, s.src, "ApproximateNumberOfMessages")}, DLQ ${await attr(client, s.dlq, "ApproximateNumberOfMessages")}`;
        last.note = last.note.startsWith("exit") ? `${last.note}; ${counts}` : counts;
      }
      await drop(client, s.dlq, s.src);
    }
  } finally {
    client.destroy();
    server.stop();
  }
}
rmSync(home, { recursive: true, force: true });
console.log(`Node ${process.version}; ${BIN}; raw loops: ${R} receivers`);
console.log("| server | messages | step | seconds | msg/s (scanned) | peak RSS MB | note |\n|---|---:|---|---:|---:|---:|---|");
for (const r of rows) console.log(`| ${r.server} | ${r.n} | ${r.step} | ${r.seconds} | ${r.msgPerS} | ${r.rssMb} | ${r.note} |`);
