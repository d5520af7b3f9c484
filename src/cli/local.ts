import { Command } from "commander";
import { lazy, type Runtime } from "./runtime.js";
import { examples } from "./util.js";

export function registerLocalCommand(program: Command, rt: Runtime): void {
  program
    .command("local")
    .description("run an embedded SQS-compatible server (fauxqs) in the foreground, on 127.0.0.1 by default")
    .option("--port <port>", "port to listen on (0 picks a free one)", "9324")
    .option("--host <host>", "interface to bind; anything but loopback exposes the server to your network", "127.0.0.1")
    .option("--data-dir <dir>", "keep queues and messages in SQLite files here across restarts (default: in memory)")
    .option("--seed <scene>", "create a ready-made scene after start (demo: orders queue with a DLQ of failed messages)")
    .addHelpText(
      "after",
      examples([
        "sqsctl local                      # then in another terminal: sqsctl --local queues list",
        "sqsctl local --seed demo          # orders + orders-dlq with real failures to triage",
        "sqsctl local --port 4566 --data-dir ~/.sqsctl/local",
      ]) +
        `
Where it differs from SQS (measured by scripts/conformance.mjs; docs/conformance.md):
  - no message move tasks: 'dlq redrive' uses its manual engine here
  - one message per FIFO group per receive (SQS returns up to 10 of a group)
  - JSON protocol only: AWS CLI v2.9 and older SDKs get an error
  - lenient: invalid queue names, more than 10 message attributes, made-up
    receipt handles and a second purge within 60 s are accepted
  - DeadLetterQueueSourceArn is not kept across a --data-dir restart
sqsctl fixes these in the pinned fauxqs: emoji bodies, queue URLs on the host you
used, ListDeadLetterSourceQueues, DeadLetterQueueSourceArn, releases with --data-dir.
`,
    )
    .action(lazy(rt, () => import("../commands/local.js")));
}
