import { Command, Option } from "commander";
import { lazy, type Runtime } from "./runtime.js";
import { examples } from "./util.js";

export function registerDlqCommands(program: Command, rt: Runtime): void {
  const dlq = program
    .command("dlq")
    .description("dead-letter queue triage: find DLQs, inspect and group what failed, redrive it safely");

  dlq
    .command("list")
    .alias("ls")
    .description(
      "list every queue that is a DLQ, with its message counts, its oldest message's age, its source queues, and its growth " +
        "(since the previous look by default; --growth counts twice, that long apart)",
    )
    .option("--growth <dur>", "count again after this long (e.g. 10s, max 5m) and show the change, instead of the change since the previous look")
    .addHelpText(
      "after",
      `\nOLDEST is CloudWatch's ApproximateAgeOfOldestMessage. Where CloudWatch cannot be asked\n` +
        `(off AWS, no permission) it is sampled: one receive of up to 10 messages from each DLQ\n` +
        `with visible messages, released at once (it counts as a receive), marked "(sampled)".\n`,
    )
    .addHelpText(
      "after",
      examples(["sqsctl dlq list", "sqsctl dlq list --growth 30s", "sqsctl dlq list -o json | jq '.[] | select(.visible > 0) | .name'"]),
    )
    .action(lazy(rt, () => import("../commands/dlq/list.js")));

  dlq
    .command("inspect")
    .argument("<dlq>", "DLQ name, URL or ARN")
    .description(
      "look at a DLQ without removing anything: receives every message (hidden while it looks, de-duplicated), " +
        "summarises and groups them, then releases them all (also on Ctrl-C)",
    )
    .option("--limit <n>", "look at this many (matching) messages (default: 100, or all with --group-by)")
    .option("--all", "look at every message in the DLQ")
    .option("--filter <expr>", "only messages matching this JMESPath expression (see 'sqsctl help filters')")
    .option("--group-by <expr>", "count messages per value of this JMESPath expression, e.g. json.errorType")
    .option("--save <file>", "also write the messages looked at as NDJSON envelopes to this file")
    .option("--hold <dur>", "how long messages stay hidden between heartbeats while the scan runs", "60s")
    .option("--timeline", "also chart the messages over time (by SentTimestamp; one row per bucket, per group)")
    .option("--report <file>", "also write a Markdown triage report (groups, timeline, a sample each, redrive commands) to this file")
    .option("--force", "let --report overwrite an existing file")
    .option("--no-bodies", "leave message bodies out of the output and the report (they may hold personal data)")
    .option("--sample <n>", "look at only n messages and estimate the counts for the whole DLQ (for huge DLQs)")
    .option("--spend-last-receive", "inspect even when the DLQ's own RedrivePolicy has maxReceiveCount 1 (every message looked at then moves on at its next receive)")
    .addHelpText(
      "after",
      "\n" +
        "Per group: count, first and last sent (SentTimestamp; on a FIFO DLQ, when SQS\n" +
        "moved the message there), how many were sent in the last hour, receive counts,\n" +
        "sources and one sample. Growth is the change since the previous look at this\n" +
        "DLQ (counts kept in $SQSCTL_HOME/dlq-counts.json) and during the scan.\n" +
        "--sample N takes the first N messages SQS hands out (spread at random over its\n" +
        "servers, not evenly in time) and scales the counts to the DLQ's size:\n" +
        "estimates. --report refuses to overwrite a file unless --force.\n" +
        "\n" +
        "A DLQ with its own RedrivePolicy of maxReceiveCount 1 is refused (exit 2): inspect's receive\n" +
        "is each message's last, so every message looked at moves to that policy's target at its\n" +
        "next receive. Pass --spend-last-receive to inspect it anyway. A scan that could not see\n" +
        "everything (FIFO groups blocked behind held messages, messages in flight elsewhere) says\n" +
        "why and exits 1.",
    )
    .addHelpText(
      "after",
      examples([
        "sqsctl dlq inspect orders-dlq",
        "sqsctl dlq inspect orders-dlq --group-by json.errorType",
        "sqsctl dlq inspect orders-dlq --group-by json.errorType --timeline",
        "sqsctl dlq inspect orders-dlq --group-by json.errorType --report incident.md --no-bodies",
        "sqsctl dlq inspect orders-dlq --group-by json.errorType --sample 500",
        "sqsctl dlq inspect orders-dlq --group-by messageAttributes.reason.StringValue",
        "sqsctl dlq inspect orders-dlq --filter \"json.errorType == 'Timeout'\" --all --save timeouts.ndjson",
        "sqsctl dlq inspect orders-dlq --all | jq -r .body      # NDJSON envelopes when piped",
      ]),
    )
    .action(lazy(rt, () => import("../commands/dlq/inspect.js")));

  dlq
    .command("redrive")
    .argument("<dlq>", "DLQ name, URL or ARN")
    .description(
      "move messages from a DLQ back to their source queue (or --to): native move task when possible, " +
        "otherwise receive -> send -> delete only what was sent, with a journal so a killed run can be resumed",
    )
    .option("--to <queue>", "target queue (default: each message's source queue, or the DLQ's only source)")
    .option("--filter <expr>", "move only messages matching this JMESPath expression (manual engine)")
    .option("--max <n>", "move at most this many messages (manual engine)")
    .option("--rate <msgs/s>", "at most this many messages a second (native: 1-500)")
    .addOption(
      new Option("--strategy <strategy>", "native: SQS message move task; manual: receive/send/delete; auto: native when it can")
        .choices(["auto", "native", "manual"])
        .default("auto"),
    )
    .option("--dry-run", "show the plan, the totals and the first 10 messages that would move; move nothing")
    .option("-v, --verbose", "with --dry-run: list every message that would move")
    .option("-y, --yes", "do not ask for confirmation (required when not on a terminal)")
    .option("--journal <file>", "journal file; re-run with the same file to resume (default: a new file in $XDG_STATE_HOME/sqsctl/journals, i.e. ~/.local/state/sqsctl/journals, or the unfinished one of an earlier run on this endpoint, account and DLQ)")
    .option("--no-journal", "keep no journal file (a killed run cannot be resumed without duplicates)")
    .option("--concurrency <n>", "manual: receive/send/delete loops in parallel, 1-64 (default: adapts while moving, from 32 up to 64)")
    .option("--hold <dur>", "manual: how long a received message stays hidden while it is moved (a killed run's messages come back after this)", "30s")
    .addHelpText(
      "after",
      examples([
        "sqsctl dlq redrive orders-dlq                          # everything back to orders",
        "sqsctl dlq redrive orders-dlq --filter \"json.errorType == 'Timeout'\" --yes",
        "sqsctl dlq redrive orders-dlq --to orders-retry --max 100 --rate 50",
        "sqsctl dlq redrive orders-dlq --dry-run --filter 'receiveCount > `5`'",
        "sqsctl dlq redrive orders-dlq --journal orders-dlq.journal   # re-run the same line to resume",
      ]),
    )
    .action(lazy(rt, () => import("../commands/dlq/redrive.js")));

  dlq
    .command("moves")
    .argument("<dlq>", "DLQ name, URL or ARN")
    .description("list the DLQ's message move tasks (native redrives) with status and progress")
    .addHelpText("after", examples(["sqsctl dlq moves orders-dlq", "sqsctl dlq moves orders-dlq -o json"]))
    .action(lazy(rt, () => import("../commands/dlq/moves.js")));

  dlq
    .command("cancel")
    .argument("<task-handle>", "the TaskHandle printed by 'dlq redrive' or 'dlq moves'")
    .description("cancel a running message move task (messages already moved stay moved)")
    .addHelpText("after", examples(["sqsctl dlq cancel eyJ0YXNrSWQiOi..."]))
    .action(lazy(rt, () => import("../commands/dlq/cancel.js")));
}
