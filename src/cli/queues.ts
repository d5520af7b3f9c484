import { Command } from "commander";
import { lazy, type Runtime } from "./runtime.js";
import { collect, examples } from "./util.js";

export function registerQueueCommands(program: Command, rt: Runtime): void {
  const queues = program
    .command("queues")
    .alias("queue")
    .description("list, show, create and delete queues");

  queues
    .command("list")
    .alias("ls")
    .description("list every queue with its message counts, DLQ and maxReceiveCount")
    .option("--prefix <prefix>", "only queues whose name starts with this")
    .addHelpText("after", examples(["sqsctl queues list", "sqsctl queues list --prefix orders -o json | jq '.[].name'"]))
    .action(lazy(rt, () => import("../commands/queues/list.js")));

  queues
    .command("show")
    .argument("<queue>", "queue name, URL or ARN")
    .description("show all attributes of a queue in readable form, its tags, and the queues that use it as a DLQ")
    .addHelpText("after", examples(["sqsctl queues show orders", "sqsctl queues show arn:aws:sqs:us-east-1:123456789012:orders -o json"]))
    .action(lazy(rt, () => import("../commands/queues/show.js")));

  queues
    .command("create")
    .argument("<name>", "queue name (.fifo is added for --fifo)")
    .description("create a queue, optionally with a dead-letter queue (idempotent: same settings succeed)")
    .option("--fifo", "create a FIFO queue")
    .option("--content-based-dedup", "FIFO: deduplicate on a hash of the body")
    .option("--dlq <queue>", "existing queue (name, URL or ARN) to use as the dead-letter queue")
    .option("--create-dlq", "also create NAME-dlq (14-day retention) and use it as the dead-letter queue")
    .option("--max-receive <n>", "receives before a message moves to the DLQ, 1-1000 (default: 5)")
    .option("--visibility-timeout <dur>", "visibility timeout, 0s-12h (SQS default 30s)")
    .option("--retention <dur>", "message retention, 1m-14d (SQS default 4d)")
    .option("--delay <dur>", "delivery delay, 0s-15m (SQS default 0s)")
    .option("--max-message-size <bytes>", "largest message in bytes, 1024-1048576, or 256KiB / 1MiB")
    .option("--wait <dur>", "receive wait time (long polling), 0s-20s")
    .option("--sse", "server-side encryption with SQS-managed keys (SSE-SQS)")
    .option("--kms-key <id>", "server-side encryption with this KMS key (SSE-KMS)")
    .option("--tag <key=value>", "tag the queue (repeatable)", collect, [])
    .option("--attribute <Name=Value>", "set any other SQS attribute (repeatable)", collect, [])
    .addHelpText(
      "after",
      examples([
        "sqsctl queues create orders --create-dlq --max-receive 3",
        "sqsctl queues create payments --fifo --content-based-dedup --create-dlq",
        "sqsctl queues create jobs --visibility-timeout 5m --retention 7d --tag team=ops",
      ]),
    )
    .action(lazy(rt, () => import("../commands/queues/create.js")));

  queues
    .command("delete")
    .alias("rm")
    .argument("<queue>", "queue name, URL or ARN")
    .description("delete a queue and every message in it (asks first; --yes when not on a terminal)")
    .option("-y, --yes", "do not ask for confirmation")
    .addHelpText("after", examples(["sqsctl queues delete old-queue", "sqsctl queues delete old-queue --yes"]))
    .action(lazy(rt, () => import("../commands/queues/delete.js")));

  program
    .command("purge")
    .argument("<queue>", "queue name, URL or ARN")
    .description("delete every message in a queue (asks you to type the queue name; --yes when not on a terminal)")
    .option("-y, --yes", "do not ask for confirmation")
    .addHelpText("after", examples(["sqsctl purge orders-dlq", "sqsctl purge orders-dlq --yes   # in scripts"]))
    .action(lazy(rt, () => import("../commands/purge.js")));
}
