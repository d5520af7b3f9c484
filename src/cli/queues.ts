import { Command } from "commander";
import { lazy, type Runtime } from "./runtime.js";
import { collect, examples } from "./util.js";

export function registerQueueCommands(program: Command, rt: Runtime): void {
  const queues = program
    .command("queues")
    .alias("queue")
    .description("list, show, create, update and delete queues; who may send to them");

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

  const create = queues
    .command("create")
    .argument("<name>", "queue name (.fifo is added for --fifo)")
    .description("create a queue, optionally with a dead-letter queue (idempotent: same settings succeed)")
    .option("--fifo", "create a FIFO queue")
    .option("--dlq <queue>", "existing queue (name, URL or ARN) to use as the dead-letter queue")
    .option("--create-dlq", "also create NAME-dlq (14-day retention) and use it as the dead-letter queue");
  settingOptions(create, "create")
    .addHelpText(
      "after",
      examples([
        "sqsctl queues create orders --create-dlq --max-receive 3",
        "sqsctl queues create payments --fifo --content-based-dedup --create-dlq",
        "sqsctl queues create jobs --visibility-timeout 5m --retention 7d --tag team=ops",
      ]),
    )
    .action(lazy(rt, () => import("../commands/queues/create.js")));

  const update = queues
    .command("update")
    .argument("<queue>", "queue name, URL or ARN")
    .description("change an existing queue's settings, DLQ, tags and policies: shows the before/after of what changes, then applies it")
    .option("--dlq <queue>", "use this queue (name, URL or ARN) as the dead-letter queue")
    .option("--no-dlq", "remove the dead-letter queue (risky: asks, or needs --yes)")
    .option("--create-dlq", "create QUEUE-dlq (14-day retention) and use it as the dead-letter queue");
  settingOptions(update, "update")
    .option("--no-sse", "turn server-side encryption off (risky)")
    .option("--no-content-based-dedup", "FIFO: turn content-based deduplication off")
    .option("--untag <key>", "remove a tag (repeatable)", collect, [])
    .option("--redrive-allow <who>", "which queues may use this one as their DLQ: all, none, or up to 10 comma-separated queues")
    .option("--policy <file>", "replace the access policy with this JSON file (checked first; see also 'queues allow')")
    .option("--dry-run", "show what would change; change nothing")
    .option("-y, --yes", "apply risky changes without asking")
    .addHelpText(
      "after",
      `\nOnly what differs is changed, so re-running the same command is a no-op (exit 0).\n` +
        `Risky changes ask on a terminal and need --yes otherwise (exit 2 without it):\n` +
        `shortening retention (SQS deletes older messages), removing or re-pointing the DLQ,\n` +
        `lowering --max-receive, and turning encryption off. Everything is checked before\n` +
        `anything is sent: ranges, a KMS key id's format, and the DLQ (same type, same region,\n` +
        `its redrive allow policy lets this queue use it).\n`,
    )
    .addHelpText(
      "after",
      examples([
        "sqsctl queues update orders --visibility-timeout 2m --dry-run",
        "sqsctl queues update orders --create-dlq --max-receive 5",
        "sqsctl queues update orders --retention 1d --yes          # shortening retention is risky",
        "sqsctl queues update orders --tag team=payments --untag owner",
        "sqsctl queues update orders-dlq --redrive-allow orders,billing",
        "sqsctl queues update orders --sse",
      ]),
    )
    .action(lazy(rt, () => import("../commands/queues/update.js")));

  queues
    .command("allow")
    .argument("<queue>", "queue name, URL or ARN")
    .description("let a producer send to the queue: adds the access-policy statement AWS documents for it (idempotent; keeps other statements)")
    .option("--from-sns <topic-arn>", "an SNS topic (for a subscription of this queue)")
    .option("--from-s3 <bucket>", "an S3 bucket's event notifications")
    .option("--source-account <id>", "--from-s3: the bucket owner's account (default: the queue's)")
    .option("--from-account <id>", "another AWS account (sqs:SendMessage for its principals)")
    .option("--from-eventbridge <rule-arn>", "an EventBridge rule with this queue as a target")
    .option("--dry-run", "show the policy change; change nothing")
    .addHelpText(
      "after",
      examples([
        "sqsctl queues allow orders --from-sns arn:aws:sns:us-east-1:123456789012:order-events",
        "sqsctl queues allow orders --from-s3 my-upload-bucket",
        "sqsctl queues allow orders --from-eventbridge arn:aws:events:us-east-1:123456789012:rule/nightly --dry-run",
        "sqsctl queues allow orders --from-account 210987654321",
      ]),
    )
    .action(lazy(rt, () => import("../commands/queues/allow.js")));

  queues
    .command("deny")
    .argument("<queue>", "queue name, URL or ARN")
    .description("remove one statement from the queue's access policy, by its Sid (see 'queues show')")
    .requiredOption("--sid <sid>", "the statement's Sid")
    .option("--dry-run", "show the policy change; change nothing")
    .addHelpText("after", examples(["sqsctl queues deny orders --sid AllowAccount210987654321 --dry-run", "sqsctl queues deny orders --sid AllowSnsorderevents"]))
    .action(lazy(rt, () => import("../commands/queues/deny.js")));

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

/**
 * The queue settings flags `queues create` and `queues update` share: defined once, so
 * both commands take the same names, help and ranges (parsed by core/create-plan's
 * parseSettings).
 */
function settingOptions(cmd: Command, mode: "create" | "update"): Command {
  return cmd
    .option("--content-based-dedup", "FIFO: deduplicate on a hash of the body")
    .option("--max-receive <n>", `receives before a message moves to the DLQ, 1-1000${mode === "create" ? " (default: 5)" : " (keeps the DLQ)"}`)
    .option("--visibility-timeout <dur>", "visibility timeout, 0s-12h (SQS default 30s)")
    .option("--retention <dur>", "message retention, 1m-14d (SQS default 4d)")
    .option("--delay <dur>", "delivery delay, 0s-15m (SQS default 0s)")
    .option("--max-message-size <bytes>", "largest message in bytes, 1024-1048576, or 256KiB / 1MiB")
    .option("--wait <dur>", "receive wait time (long polling), 0s-20s")
    .option("--sse", "server-side encryption with SQS-managed keys (SSE-SQS)")
    .option("--kms-key <id>", "server-side encryption with this KMS key (SSE-KMS): key id, alias/NAME or ARN")
    .option("--tag <key=value>", "tag the queue (repeatable)", collect, [])
    .option("--attribute <Name=Value>", "set any other SQS attribute (repeatable)", collect, []);
}
