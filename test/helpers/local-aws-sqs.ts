import type { AddressInfo } from "node:net";
import { SQSClient } from "@aws-sdk/client-sqs";
import { createSqsServer } from "local-aws-sqs";
import { TEST_CREDENTIALS } from "./local-server.js";

/**
 * local-aws-sqs on a free 127.0.0.1 port: the SQS-compatible server with message move
 * tasks, ListDeadLetterSourceQueues and DeadLetterQueueSourceArn, for the native
 * redrive path (fauxqs has none of them).
 */
export interface MoveTaskServer {
  endpoint: string;
  client: SQSClient;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startMoveTaskServer(): Promise<MoveTaskServer> {
  const server = await createSqsServer({ port: 0, hostname: "127.0.0.1", emulateQueueCreationLifecycle: false });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SQSClient({ endpoint, region: "us-east-1", credentials: TEST_CREDENTIALS });
  return {
    endpoint,
    client,
    env: {
      AWS_ENDPOINT_URL_SQS: endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    },
    async close() {
      client.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
