// A latency knob for the benchmarks: an HTTP proxy on 127.0.0.1 that holds every request
// for DELAY ms before passing it to the SQS endpoint behind it, so a call takes about
// DELAY ms more, as against a real region (10-40 ms). Usage from a bench script:
//   const proxy = await startDelayProxy(targetEndpoint, 25); ... proxy.endpoint ... await proxy.close();
// proxy.byAction() counts the calls by SQS action (JSON protocol's X-Amz-Target, or the
// query protocol's Action) and their batch entries; ChangeMessageVisibilityBatch is split
// into renewals (VisibilityTimeout > 0) and releases (0), so a heartbeat can be counted.
// or standalone: node bench/delay-proxy.mjs TARGET_URL DELAY_MS [PORT]
import http from "node:http";
import { fileURLToPath } from "node:url";

// onCall(record), if given, gets each call as it ends: { action (the X-Amz-Target's operation),
// at (ms, performance.now() when the request arrived), end (when its answer was sent), status,
// bytes (answer size) } — bench/timeline.mjs draws a run from these.
export async function startDelayProxy(target, delayMs, port = 0, onCall = undefined) {
  const t = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  let calls = 0;
  const actions = {};
  const count = (req, body) => {
    const target = req.headers["x-amz-target"];
    let action = typeof target === "string" ? target.split(".").pop() : undefined;
    let entries = [];
    if (action) {
      try {
        entries = JSON.parse(body.toString()).Entries ?? [];
      } catch {}
    } else {
      const q = new URLSearchParams(body.toString());
      action = q.get("Action") ?? "?";
      for (let i = 1; q.has(`ChangeMessageVisibilityBatchRequestEntry.${i}.Id`) || q.has(`DeleteMessageBatchRequestEntry.${i}.Id`); i++)
        entries.push({ VisibilityTimeout: Number(q.get(`ChangeMessageVisibilityBatchRequestEntry.${i}.VisibilityTimeout`) ?? 0) });
    }
    if (action === "ChangeMessageVisibilityBatch") action += entries.some((e) => Number(e.VisibilityTimeout) > 0) ? " (renew)" : " (release)";
    const a = (actions[action] ??= { calls: 0, entries: 0 });
    a.calls += 1;
    a.entries += entries.length;
  };
  const server = http.createServer((req, res) => {
    calls += 1;
    const at = performance.now();
    if (onCall) {
      let bytes = 0;
      const write = res.write.bind(res);
      res.write = (c, ...rest) => ((bytes += c?.length ?? 0), write(c, ...rest));
      res.on("finish", () => onCall({ action: String(req.headers["x-amz-target"] ?? req.method).split(".").at(-1), at, end: performance.now(), status: res.statusCode, bytes }));
    }
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      count(req, Buffer.concat(chunks));
      setTimeout(() => {
        const up = http.request(
          { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers, agent },
          (r) => {
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
          },
        );
        up.on("error", () => {
          res.writeHead(502);
          res.end();
        });
        up.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    calls: () => calls,
    /** { action: { calls, entries } } since the start or the last reset. */
    byAction: () => structuredClone(actions),
    reset: () => { for (const k of Object.keys(actions)) delete actions[k]; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); agent.destroy(); }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [target, delay, port] = process.argv.slice(2);
  const p = await startDelayProxy(target, Number(delay), Number(port ?? 0));
  console.log(JSON.stringify({ endpoint: p.endpoint, delayMs: Number(delay) }));
}
