import { SQSClient } from "@aws-sdk/client-sqs";
import { startLocalServer, type LocalServer } from "../../src/local/server.js";

/**
 * A real SQS-compatible server (fauxqs) on a free 127.0.0.1 port, started through
 * the same code as `sqsctl local`, plus an SDK client pointed at it for arranging
 * and checking state.
 */
export interface TestServer extends LocalServer {
  client: SQSClient;
  /** Environment for a sqsctl subprocess aimed at this server. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const TEST_CREDENTIALS = { accessKeyId: "AKIATESTLOCAL0000001", secretAccessKey: "test-secret-do-not-print-0001" };

export async function startTestServer(): Promise<TestServer> {
  const server = await startLocalServer({ port: 0, host: "127.0.0.1" });
  const client = new SQSClient({ endpoint: server.endpoint, region: "us-east-1", credentials: TEST_CREDENTIALS });
  return {
    ...server,
    client,
    env: {
      AWS_ENDPOINT_URL_SQS: server.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    },
    async close() {
      client.destroy();
      await server.stop();
    },
  };
}
