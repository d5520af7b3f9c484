import { expect, test } from "vitest";
import { CACHE_TTL_MS, cacheKey, credentialsLikely, lineGlobals, needsRefresh } from "../../src/completion/queue-cache.js";

test("reads --local, --region, --profile and --endpoint-url from the words typed, in both spellings", () => {
  expect(lineGlobals(["--local", "dlq", "redrive"])).toEqual({ local: true });
  expect(lineGlobals(["--region", "eu-west-1", "--profile=prod", "--endpoint-url", "=", "http://x:1", "queues"])).toEqual({
    region: "eu-west-1",
    profile: "prod",
    endpointUrl: "http://x:1",
  });
  // A flag with its value not typed yet is ignored.
  expect(lineGlobals(["--region", "--local"])).toEqual({ local: true });
});

test("the cache key separates endpoints, regions, profiles and access keys", () => {
  const env = { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKIA1" };
  const base = cacheKey({}, env);
  expect(cacheKey({}, { ...env })).toBe(base);
  expect(cacheKey({ region: "eu-west-1" }, env)).not.toBe(base);
  expect(cacheKey({ profile: "prod" }, env)).not.toBe(base);
  expect(cacheKey({}, { ...env, AWS_ACCESS_KEY_ID: "AKIA2" })).not.toBe(base);
  expect(cacheKey({ local: true }, env)).not.toBe(cacheKey({ local: true }, { ...env, SQSCTL_LOCAL_PORT: "4566" }));
  expect(base).toMatch(/^[0-9a-f]{16}$/);
});

test("refreshes when missing or older than the TTL, but not within a TTL of a failure", () => {
  const now = 1_000_000;
  expect(needsRefresh(undefined, now)).toBe(true);
  expect(needsRefresh({ fetchedAt: now - 1000, names: [] }, now)).toBe(false);
  expect(needsRefresh({ fetchedAt: now - CACHE_TTL_MS, names: [] }, now)).toBe(true);
  expect(needsRefresh({ fetchedAt: 0, names: [], failedAt: now - 1000 }, now)).toBe(false);
  expect(needsRefresh({ fetchedAt: 0, names: [], failedAt: now - CACHE_TTL_MS }, now)).toBe(true);
});

test("credentials: --local or a profile or keys count; an empty home does not", () => {
  const empty = { HOME: "/nonexistent-home" };
  expect(credentialsLikely({}, empty)).toBe(false);
  expect(credentialsLikely({ local: true }, empty)).toBe(true);
  expect(credentialsLikely({ profile: "x" }, empty)).toBe(true);
  expect(credentialsLikely({}, { ...empty, AWS_ACCESS_KEY_ID: "AKIA" })).toBe(true);
});
