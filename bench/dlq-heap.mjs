#!/usr/bin/env node
// Peak heap vs peak RSS of dlq inspect --group-by and export on one DLQ of N messages (fauxqs),
// two builds interleaved (after, before, before, after), each process preloading
// bench/memprobe.cjs (process.memoryUsage() every 100 ms; peaks appended to MEMPROBE_OUT).
//   npm run build && npx node bench/dlq-heap.mjs N BEFORE_BIN AFTER_BIN OUT.jsonl
import { BIN, attr, cliEnv, dlqScene, drop, node, run, sdk, startServer } from "./lib.mjs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const N = Number(process.argv[2] ?? 30000);
const builds = { before: process.argv[3] ?? BIN, after: process.argv[4] ?? BIN };
const OUT = process.argv[5] ?? join(tmpdir(), "memprobe.jsonl");
const PROBE = new URL("./memprobe.cjs", import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), "memprobe-"));
const server = await startServer("fauxqs");
const client = sdk(server.endpoint);
const s = await dlqScene(client, N);
const wait = async () => { for (let i = 0; i < 60 && Number(await attr(client, s.dlq, "ApproximateNumberOfMessagesNotVisible")) > 0; i++) await new Promise((r) => setTimeout(r, 500)); };
for (const rep of [1, 2]) for (const b of rep === 1 ? ["after", "before"] : ["before", "after"]) {
  for (const [what, args] of [["inspect", ["dlq", "inspect", s.dlqName, "--group-by", "json.errorType", "-o", "json", "-q"]], ["export", ["export", s.dlqName, "--file", join(home, "x.ndjson"), "-o", "json", "-q"]]]) {
    await wait();
    const env = { ...cliEnv(server.endpoint, home), NODE_OPTIONS: `--require ${PROBE}`, MEMPROBE_OUT: OUT, MEMPROBE_LABEL: `${b} ${what} ${N} rep${rep}` };
    const r = await run(node, [builds[b], ...args], env, { allowFail: true });
    console.error(b, what, rep, r.wall.toFixed(1), Math.round(r.rssMb), r.code);
  }
}
await drop(client, s.dlq, s.src);
client.destroy();
server.stop();
