import { join } from "node:path";
import { cacheDir, cacheKey, lineGlobals, needsRefresh, readCache } from "./queue-cache.js";

/**
 * `sqsctl __complete-queues` straight from bin/sqsctl.js when the cache is fresh: no
 * command tree, no Commander, no SDK, so a TAB costs little more than starting Node.
 * Returns false when the full command must run (stale or missing cache).
 */
export async function servedFromCache(args: string[], env: Record<string, string | undefined>, out: { write(s: string): unknown }): Promise<boolean> {
  const words = args[0] === "--" ? args.slice(1) : args;
  const g = lineGlobals(words);
  const entry = await readCache(join(cacheDir(env), `queues-${cacheKey(g, env)}.json`));
  if (needsRefresh(entry, Date.now())) return false;
  if (entry?.names.length) out.write(`${entry.names.join("\n")}\n`);
  return true;
}
