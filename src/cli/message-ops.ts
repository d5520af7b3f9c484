import type { Command } from "commander";
import { lazy, type Runtime } from "./runtime.js";
import { collect, examples } from "./util.js";

/** Scripted forms of browse's per-message actions: delete chosen messages, change their visibility. */
export function registerMessageOpCommands(program: Command, rt: Runtime): void {
  program
    .command("delete")
    .argument("<queue>", "queue name, URL or ARN")
    .description("delete chosen messages: by receipt handle (from 'receive -o json'), or by MessageId with a bounded scan")
    .option("--receipt-handle <handle>", "delete the message this handle is for (repeatable)", collect, [])
    .option("--id <message-id>", "find the message with this MessageId and delete it (repeatable)", collect, [])
    .option("--scan-max <n>", "--id: look at no more than this many messages", "1000")
    .option("--wait <dur>", "--id: long-poll wait for each receive, 1s-20s", "5s")
    .option("-y, --yes", "do not ask for confirmation")
    .addHelpText(
      "after",
      `\n--id holds every message it looks at (hidden, renewed while it scans), deletes only\n` +
        `the ones asked for, and releases the rest; it stops as soon as all are found. Looking\n` +
        `counts as a receive (see 'sqsctl receive --help'). Ids not found are listed and the\n` +
        `exit code is 1. Off a terminal, --yes is required.\n`,
    )
    .addHelpText(
      "after",
      examples([
        "HANDLE=$(sqsctl receive orders --max 1 -o json | jq -r '.[0].receiptHandle')",
        "sqsctl delete orders --receipt-handle \"$HANDLE\" --yes",
        "ID=$(sqsctl receive orders-dlq --peek --max 1 -o json | jq -r '.[0].messageId')",
        "sqsctl delete orders-dlq --id \"$ID\" --yes",
      ]),
    )
    .action(lazy(rt, () => import("../commands/messages/delete.js")));

  program
    .command("visibility")
    .argument("<queue>", "queue name, URL or ARN")
    .description("change how long received messages stay hidden (0s gives them back now)")
    .option("--receipt-handle <handle>", "the message's receipt handle from 'receive -o json' (repeatable)", collect, [])
    .requiredOption("--timeout <dur>", "hidden for this long from now, 0s-12h")
    .addHelpText(
      "after",
      examples([
        "HANDLE=$(sqsctl receive orders --max 1 -o json | jq -r '.[0].receiptHandle')",
        "sqsctl visibility orders --receipt-handle \"$HANDLE\" --timeout 5m   # more time to work on it",
        "sqsctl visibility orders --receipt-handle \"$HANDLE\" --timeout 0s   # give it back now",
      ]),
    )
    .action(lazy(rt, () => import("../commands/messages/visibility.js")));
}
