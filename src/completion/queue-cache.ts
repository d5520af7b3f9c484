import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { stateDir } from "../core/state-dir.js";

/**
 * Queue-name completion: a short-lived cache per endpoint/account so that pressing
 * TAB costs a file read, and a refresh with a tight time budget when it is stale.
 */

export const CACHE_TTL_MS = 60_000;
/** How long a refresh may take before completion gives up and shows what it has. */
export const REFRESH_BUDGET_MS = 600;

export interface LineGlobals {
  local?: boolean;
  region?: string;
  profile?: string;
  endpointUrl?: string;
}

/** The connection flags already typed on the command line being completed. */
export function lineGlobals(words: readonly string[]): LineGlobals {
  const g: LineGlobals = {};
  const key = { "--region": "region", "--profile": "profile", "--endpoint-url": "endpointUrl" } as const;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === "--local") g.local = true;
    const eq = w.indexOf("=");
    const flag = eq > 0 ? w.slice(0, eq) : w;
    if (flag in key) {
      const value = eq > 0 ? w.slice(eq + 1) : words[i + 1] === "=" ? words[i + 2] : words[i + 1];
      if (value && !value.startsWith("-")) g[key[flag as keyof typeof key]] = value;
    }
  }
  return g;
}

/** Names the target (endpoint, region, profile, account key id) without writing any of it to disk in clear. */
export function cacheKey(g: LineGlobals, env: Record<string, string | undefined>): string {
  const parts = {
    endpoint: g.endpointUrl ?? (g.local ? `local:${env.SQSCTL_LOCAL_PORT ?? "9324"}` : (env.AWS_ENDPOINT_URL_SQS ?? env.AWS_ENDPOINT_URL ?? "")),
    region: g.region ?? (g.local ? "us-east-1" : (env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "")),
    profile: g.profile ?? env.AWS_PROFILE ?? "",
    keyId: g.local ? "" : (env.AWS_ACCESS_KEY_ID ?? ""),
  };
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 16);
}

/** In sqsctl's one state folder (core/state-dir.ts), beside the journals. */
export function cacheDir(env: Record<string, string | undefined>): string {
  return join(stateDir(env), "completion");
}

/**
 * True when the SDK has something to sign with without asking anyone: completion is
 * off otherwise, so it never waits on the instance-metadata probe or a prompt.
 */
export function credentialsLikely(g: LineGlobals, env: Record<string, string | undefined>): boolean {
  if (g.local || g.profile) return true;
  if (env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE) return true;
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return true;
  const home = env.HOME || homedir();
  return [env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, ".aws", "credentials"), env.AWS_CONFIG_FILE ?? join(home, ".aws", "config")].some(
    (f) => existsSync(f),
  );
}

export interface CacheEntry {
  /** epoch ms of the last successful listing */
  fetchedAt: number;
  names: string[];
  /** epoch ms of the last failed refresh: no retry on every TAB while a server is down */
  failedAt?: number;
}

export async function readCache(file: string): Promise<CacheEntry | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as CacheEntry;
    return Array.isArray(parsed.names) && typeof parsed.fetchedAt === "number" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export async function writeCache(file: string, entry: CacheEntry): Promise<void> {
  await mkdir(join(file, ".."), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(entry), { mode: 0o600 });
  await rename(tmp, file);
}

/** Whether to go to the server now: the cache is missing or old, and no refresh failed within the TTL. */
export function needsRefresh(entry: CacheEntry | undefined, now: number): boolean {
  if (!entry) return true;
  if (entry.failedAt !== undefined && now - entry.failedAt < CACHE_TTL_MS) return false;
  return now - entry.fetchedAt >= CACHE_TTL_MS;
}
