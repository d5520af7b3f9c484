import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../helpers/local-server.js";
import { KEY, runInPty } from "./browse-pty.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function retention(url: string): Promise<string | undefined> {
  return (await server.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["MessageRetentionPeriod"] }))).Attributes?.MessageRetentionPeriod;
}

test("on a terminal a risky update asks first: no leaves the queue as it was, yes applies it", async () => {
  // GIVEN a queue keeping messages 4 days
  const { QueueUrl } = await server.client.send(new CreateQueueCommand({ QueueName: "pty-risk", Attributes: { MessageRetentionPeriod: "345600" } }));
  // WHEN shortening retention is declined
  const no = runInPty(["queues", "update", "pty-risk", "--retention", "1h"], { env: server.env });
  await no.waitFor(/Apply this risky change to pty-risk\?/);
  expect(no.screen()).toMatch(/shortens retention: SQS deletes messages older than 1h/);
  no.press("n", KEY.enter);
  expect(await no.exited()).toBe(0);
  expect(no.screen()).toContain("Nothing was changed.");
  expect(await retention(QueueUrl!)).toBe("345600");
  // WHEN it is accepted
  const yes = runInPty(["queues", "update", "pty-risk", "--retention", "1h"], { env: server.env });
  await yes.waitFor(/Apply this risky change/);
  yes.press("y", KEY.enter);
  expect(await yes.exited()).toBe(0);
  expect(await retention(QueueUrl!)).toBe("3600");
});
