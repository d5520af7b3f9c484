#!/usr/bin/env node
// Kept tiny on purpose: all logic lives in dist/main.js.
import module from "node:module";

// Node >= 22.1 caches compiled code between runs: start-up is most of a short command's time.
module.enableCompileCache?.();

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  // The one call scripts make in a loop: answer it without loading the command tree.
  const { readFileSync } = await import("node:fs");
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
} else if (args[0] === "__complete-queues" && (await cachedQueueNames())) {
  // Shell completion asking for queue names: answered from a fresh cache.
} else {
  const { main } = await import("../dist/main.js");
  main();
}

async function cachedQueueNames() {
  const { servedFromCache } = await import("../dist/completion/fast-path.js");
  return servedFromCache(args.slice(1), process.env, process.stdout);
}
