import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { startDelayProxy } from "./delay-proxy.mjs";
import { startServer, sdk, cliEnv, run, node, BIN } from "./lib.mjs";
const server = await startServer("fauxqs");
try {
  const client = sdk(server.endpoint);
  const file = "/tmp/speed-ab.ndjson";
  const out = createWriteStream(file);
  for (let i = 1; i <= 20000; i++) if (!out.write(`${JSON.stringify({ body: JSON.stringify({ id: i, pad: "x".repeat(160) }) })}\n`)) await once(out, "drain");
  out.end(); await once(out, "finish");
  const DELAY = Number(process.env.DELAY ?? 0); const RAWC = process.env.RAWC ?? "8"; const proxy = DELAY ? await startDelayProxy(server.endpoint, DELAY) : undefined; const ep = proxy?.endpoint ?? server.endpoint; const env = cliEnv(ep, "/tmp/speed-home");
  let q = 0;
  const res = { adaptive: [], c8: [], raw8: [] };
  for (let rep = 0; rep < 3; rep++) {
    for (const [k, extra] of [["adaptive", []], ["c8", ["--concurrency", "8"]], ["raw8", null]]) {
      const url = (await client.send(new CreateQueueCommand({ QueueName: `ab-${process.pid}-${++q}` }))).QueueUrl;
      const r = extra ? await run(node, [BIN, "send-batch", url, file, "-o", "json", "-q", ...extra], env) : await run(node, ["/work/wt/speed/bench/raw-loader.mjs", server.endpoint, url, file, "8"], env);
      res[k].push(`${r.wall.toFixed(1)}s/${r.cpu.toFixed(1)}cpu${extra ? "/send " + JSON.parse(r.stdout).seconds : ""}`);
    }
  }
  console.log(res);
  client.destroy();
} finally { server.stop(); }
