import { spawnSync } from "node:child_process";
import { expect, test } from "vitest";
import type { Envelope } from "../../src/core/envelope.js";
import { compileFilter, compileGroupBy } from "../../src/core/filter.js";
import { HELP_TOPICS } from "../../src/help/topics.js";

const timeout: Envelope = {
  messageId: "m-1",
  groupId: "eu",
  body: JSON.stringify({ errorType: "Timeout", attempt: 3, amount: 250, customer: { tier: "gold" }, note: "refund pending" }),
  messageAttributes: { reason: { DataType: "String", StringValue: "card_declined" } },
  receiveCount: 4,
  sentAt: "2026-11-22T09:15:00.000Z",
  firstReceivedAt: "2026-11-22T09:15:01.000Z",
  sourceQueueArn: "arn:aws:sqs:us-east-1:000000000000:orders",
};
const plain: Envelope = { messageId: "m-2", body: "not json, a test", receiveCount: 1, sentAt: "2026-11-21T23:00:00.000Z" };

/** Each example's expression exactly as bash passes it to sqsctl (quotes and escapes removed by bash itself). */
function examples(flag: "--filter" | "--group-by"): string[] {
  const lines = HELP_TOPICS.filters!.text.split("\n").filter((l) => l.startsWith(`  ${flag} `));
  return lines.map((l) => {
    const word = l.trim().slice(flag.length + 1).replace(/\s+#.*$/, "");
    const r = spawnSync("bash", ["-c", `printf '%s' ${word}`], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  });
}

test("every --filter example in 'sqsctl help filters' parses and runs on real envelopes", () => {
  const filters = examples("--filter");
  expect(filters.length).toBeGreaterThanOrEqual(8);
  const results = Object.fromEntries(filters.map((f) => [f, [compileFilter(f)(timeout), compileFilter(f)(plain)]]));
  expect(results).toEqual({
    "json.errorType == 'Timeout'": [true, false],
    "receiveCount > `3`": [true, false],
    "contains(body, 'refund')": [true, false],
    "messageAttributes.reason.StringValue == 'card_declined'": [true, false],
    "json.errorType == 'Timeout' && json.attempt >= `2`": [true, false],
    'json.amount > `100` && groupId == `"eu"`': [true, false],
    "starts_with(sentAt, '2026-11-22')": [true, false],
    "json == `null`": [false, true],
    "contains(['Timeout', 'Throttled'], json.errorType)": [true, false],
    '!contains(body, `"test"`)': [true, false],
  });
});

test("every --group-by example gives a key", () => {
  const groups = examples("--group-by");
  expect(groups.map((g) => [compileGroupBy(g)(timeout), compileGroupBy(g)(plain)])).toEqual([
    ["Timeout", "(none)"],
    ["card_declined", "(none)"],
    ["gold", "unknown"],
    ["true", "false"],
  ]);
});

test("the topic names every envelope field", () => {
  for (const field of ["messageId", "body", "json", "messageAttributes", "groupId", "dedupId", "receiveCount", "sentAt", "firstReceivedAt", "sourceQueueArn", "sequenceNumber"]) {
    expect(HELP_TOPICS.filters!.text).toMatch(new RegExp(`^  ${field} `, "m"));
  }
});
