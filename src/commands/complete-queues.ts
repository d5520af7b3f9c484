import { join } from "node:path";
import {
  cacheDir,
  cacheKey,
  credentialsLikely,
  lineGlobals,
  needsRefresh,
  readCache,
  REFRESH_BUDGET_MS,
  writeCache,
  type CacheEntry,
} from "../completion/queue-cache.js";
import type { CommandContext } from "./context.js";

/**
 * `sqsctl __complete-queues -- WORDS...` (hidden): queue names, one a line, for the
 * completion scripts. WORDS are the words typed so far, so --local / --region /
 * --profile / --endpoint-url on the line choose the target. Never prompts, never
 * fails: on any trouble it prints what the cache has, or nothing.
 */
export default async function completeQueues(ctx: CommandContext, words: string[]): Promise<void> {
  const env = ctx.io.env;
  const g = lineGlobals(words);
  const file = join(cacheDir(env), `queues-${cacheKey(g, env)}.json`);
  let entry = await readCache(file);
  const now = Date.now();
  if (needsRefresh(entry, now) && credentialsLikely(g, env)) {
    try {
      entry = { fetchedAt: Date.now(), names: await listNames(ctx, g) };
    } catch {
      entry = { fetchedAt: entry?.fetchedAt ?? 0, names: entry?.names ?? [], failedAt: Date.now() };
    }
    await writeCache(file, entry).catch(() => undefined);
  }
  if (entry?.names.length) ctx.ui.out(entry.names.join("\n"));
}

async function listNames(ctx: CommandContext, g: ReturnType<typeof lineGlobals>): Promise<string[]> {
  // Loaded only on a refresh: a cache hit must not pay for the SDK.
  const [{ ListQueuesCommand }, { createSqsContext }] = await Promise.all([import("@aws-sdk/client-sqs"), import("../sqs/client.js")]);
  const globals = { ...ctx.globals, ...g, debug: false, quiet: true };
  const sqs = await createSqsContext(globals, ctx.io.env, ctx.ui, { maxSockets: 1 });
  // The budget covers credentials and requests; loading the SDK (~0.1 s) comes before it.
  const abort = AbortSignal.timeout(REFRESH_BUDGET_MS);
  try {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const out = await sqs.client.send(
        new ListQueuesCommand({ MaxResults: 1000, ...(token ? { NextToken: token } : {}) }),
        { abortSignal: abort },
      );
      for (const url of out.QueueUrls ?? []) names.push(url.replace(/\/$/, "").split("/").at(-1) ?? url);
      token = out.NextToken;
    } while (token && names.length < 5000);
    return names.sort();
  } finally {
    sqs.destroy();
  }
}
