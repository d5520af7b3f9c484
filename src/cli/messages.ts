import type { Command } from "commander";
import { lazy, type Runtime } from "./runtime.js";
import { collect, examples } from "./util.js";

const ENVELOPE =
  `\nInput (NDJSON, one message a line; only "body" is required):\n` +
  `  {"body": "...", "messageAttributes": {"k": "v", "n": 3, "b": {"DataType": "Binary", "BinaryValue": "<base64>"}},\n` +
  `   "groupId": "g1", "dedupId": "d1", "delaySeconds": 10}\n` +
  `  Short-form attributes: "v" is a String, 3 is a Number. Fields that receive/export\n` +
  `  write (messageId, receiveCount, sentAt, ...) are ignored, so exports import as they are.\n` +
  `  groupId/dedupId are dropped for a standard queue. On a FIFO queue without\n` +
  `  content-based deduplication, a line without dedupId gets one derived from its line\n` +
  `  number and body, so re-sending the same file within 5 minutes is not duplicated.\n`;

const SEND_BATCH_NOTES =
  `\nHow it runs:\n` +
  `  1. Reads the whole input once and validates every line (JSON, body characters, size\n` +
  `     against the queue's MaximumMessageSize, at most 10 attributes, FIFO group id).\n` +
  `     Any invalid line: each is listed as FILE:LINE: reason, nothing is sent, exit 2.\n` +
  `  2. Sends in batches of up to 10 messages / 1 MiB with --concurrency calls in flight\n` +
  `     (by default as many as keep raising the throughput, from 64 up to 128, halved on throttling).\n` +
  `     Whole calls are retried by the SDK (throttling, 5xx, network: backoff with jitter);\n` +
  `     entries a batch reports as failed for a passing reason are tried again (one policy).\n` +
  `     FIFO: a group's batches go one at a time, in order; once a message of a group fails\n` +
  `     for good, the rest of that group is not sent (GroupOrderKept, in --failed-file).\n` +
  `  Memory stays constant whatever the input size. stdin is spooled to\n` +
  `  $XDG_STATE_HOME/sqsctl/spool (~/.local/state/sqsctl/spool), said on stderr and removed\n` +
  `  at the end (or by the next run, after a kill -9).\n` +
  `  A journal ($XDG_STATE_HOME/sqsctl/journals, bound to the endpoint, account, queue and\n` +
  `  input) records each confirmed batch: after an interruption (even kill -9) run the same\n` +
  `  command with --resume to send only what was not confirmed; batches in flight at the\n` +
  `  interruption, or named by a torn journal record, are sent again and reported as\n` +
  `  possible duplicates. --resume after a finished run sends nothing and says so.\n` +
  `  --failed-file may not be the input; it is replaced only when the sending ends.\n` +
  `  Exit codes: 0 all sent, 1 some failed (see --failed-file), 2 invalid input, 130 interrupted.\n` +
  `  -o json prints {"sent", "failed", "lines", "seconds", "possibleDuplicates"}.\n`;

const PEEK_NOTES =
  `\nPeeking is not free:\n` +
  `  SQS has no real peek: every receive adds one to a message's receive count. On a queue\n` +
  `  with a redrive policy, that spends one of the consumer's maxReceiveCount attempts, so\n` +
  `  sqsctl warns once when it looks at such a queue without --delete. It also makes sure\n` +
  `  its own receives never move a message into the DLQ: a message that has used all its\n` +
  `  receives (receive count >= maxReceiveCount) is never released early or re-received\n` +
  `  by sqsctl; it is kept hidden while sqsctl polls and then simply returns after its\n` +
  `  visibility timeout, as it would for a consumer. sqsctl reports how many that was.\n` +
  `  (A message that had already used all its receives before you looked is moved by SQS\n` +
  `  on the very next receive, sqsctl's or anyone's: that one cannot be avoided.)\n`;

export function registerMessageCommands(program: Command, rt: Runtime): void {
  program
    .command("send")
    .argument("<queue>", "queue name, URL or ARN")
    .argument("[body]", "the message body (or --file, or stdin)")
    .description("send one message; prints its MessageId (the whole response with -o json)")
    .option("--file <file>", "read the body from a file (- for stdin)")
    .option("--attr <name[:Type]=value>", "message attribute: k=v (String), k:Number=3, k:Binary=@file (repeatable, at most 10)", collect, [])
    .option("--delay <dur>", "delivery delay, 0s-15m (standard queues only)")
    .option("--group-id <id>", "FIFO: the message group (required on a FIFO queue)")
    .option("--dedup-id <id>", "FIFO: the deduplication id (not needed with content-based deduplication)")
    .addHelpText(
      "after",
      examples([
        `sqsctl send orders '{"orderId": 42}'`,
        "sqsctl send orders --file order.json --attr source=web --attr priority:Number=2",
        "sqsctl send orders.fifo 'pay 42' --group-id customer-7 --dedup-id pay-42",
        "echo 'hello' | sqsctl send orders   # a single trailing newline is removed from stdin",
      ]),
    )
    .action(lazy(rt, () => import("../commands/messages/send.js")));

  const sendBatch = (name: string, verb: "send-batch" | "import") => {
    const cmd = program
      .command(name)
      .argument("<queue>", "queue name, URL or ARN")
      .argument("[file]", "NDJSON file, or - (or nothing) for stdin");
    if (verb === "send-batch") {
      cmd
        .alias("bulk-send")
        .description("send many messages from NDJSON envelopes (or raw lines): validates all first, then sends in parallel batches")
        .option("--raw", "each line is a message body (not JSON)");
    } else {
      cmd
        .description("send the messages of an export file back to a queue, keeping bodies, attributes, group ids and dedup ids")
        .addHelpText(
          "after",
          `\nFIFO: SQS silently drops a message whose dedup id it has seen in the last 5 minutes,\n` +
            `even after a purge; importing into the queue it was exported from within 5 minutes of\n` +
            `the original sends reports them as sent but SQS keeps only the first copy. Wait, or\n` +
            `give them new dedup ids: jq -c '.dedupId = .messageId + "-2"' export.ndjson | sqsctl import Q -\n`,
        );
    }
    cmd
      .option("--concurrency <n>", "batch calls in flight at once, 1-256 (default: adapts while sending, from 64 up to 128)")
      .option("--rate <msgs/s>", "at most this many messages a second (default: as fast as SQS allows)")
      .option("--group-id <id>", "FIFO: group for lines that have no groupId")
      .option("--failed-file <file>", "write messages that still failed after retries here, as envelopes with \"line\" and \"errorCode\"")
      .option("--dry-run", "validate only; send nothing")
      .option("--journal <file>", "progress journal (default: $XDG_STATE_HOME/sqsctl/journals, i.e. ~/.local/state/sqsctl/journals/send-batch-<hash>.journal, printed)")
      .option("--no-journal", "keep no journal (--resume will not be possible)")
      .option("--resume", "after an interruption: send only what the journal does not show as confirmed")
      .option("--restart", "ignore an unfinished journal for this input and send everything again")
      .addHelpText("after", ENVELOPE + SEND_BATCH_NOTES)
      .addHelpText(
        "after",
        examples(
          verb === "send-batch"
            ? [
                "sqsctl send-batch orders messages.ndjson",
                "sqsctl send-batch orders ids.txt --raw --rate 200",
                "jq -c '{body: tojson}' events.json | sqsctl send-batch orders -",
                "sqsctl send-batch orders big.ndjson --failed-file failed.ndjson -o json",
                "sqsctl send-batch orders big.ndjson --resume     # after Ctrl-C or a crash",
              ]
            : ["sqsctl export orders-dlq --file dlq.ndjson && sqsctl import orders dlq.ndjson", "cat dlq.ndjson | sqsctl import orders -"],
        ),
      )
      .action(lazy(rt, () => (verb === "import" ? import("../commands/messages/import.js") : import("../commands/messages/send-batch.js"))));
  };
  sendBatch("send-batch", "send-batch");

  program
    .command("receive")
    .argument("<queue>", "queue name, URL or ARN")
    .description("receive up to --max messages (looping past 10); readable on a terminal, NDJSON envelopes when piped")
    .option("--max <n>", "how many messages at most", "10")
    .option("--wait <dur>", "long-poll wait, 0s-20s (served as polls of at most 4s, so Ctrl-C never has to cut one)", "5s")
    .option("--visibility-timeout <dur>", "how long received messages stay hidden, 0s-12h (default: the queue's)")
    .option("--delete", "delete each message after printing it (consumes them)")
    .option("--peek", "release the messages at once (visibility 0) instead of leaving them in flight")
    .addHelpText(
      "after",
      `\nWithout --delete or --peek, received messages stay in flight (hidden from consumers)\n` +
        `for the visibility timeout. --delete deletes a message only once stdout accepted its\n` +
        `line; if stdout fails, receive stops, releases what it holds and exits 1.\n` +
        `The run ends at --max, or when two long polls in a row are empty and the queue counts\n` +
        `none visible. No messages: exit 0 with a note on stderr.\n` +
        PEEK_NOTES,
    )
    .addHelpText(
      "after",
      examples([
        "sqsctl receive orders --peek",
        "sqsctl receive orders --max 25 | jq -r .body",
        "sqsctl receive orders --max 100 --delete > consumed.ndjson",
      ]),
    )
    .action(lazy(rt, () => import("../commands/messages/receive.js")));

  program
    .command("tail")
    .argument("<queue>", "queue name, URL or ARN")
    .description("follow a queue with continuous long polls until Ctrl-C, --max, or --until-empty")
    .option("--delete", "consume: delete each message after printing it")
    .option("--max <n>", "stop after this many messages")
    .option("--until-empty", "stop once the queue is empty (two empty long polls and the queue counting none visible)")
    .option("--filter <expr>", "JMESPath over the envelope, body parsed as json (see 'sqsctl help filters')")
    .option("--wait <dur>", "long-poll wait, 1s-20s (served as polls of at most 4s, so Ctrl-C never has to cut one)", "20s")
    .addHelpText(
      "after",
      `\nEverything tail receives is kept hidden (renewed by a heartbeat) until tail stops, then\n` +
        `released (visibility 0): each message costs one receive, never two. With --delete,\n` +
        `a shown message (one that matches --filter) is deleted once stdout accepted its line;\n` +
        `if stdout fails (a full disk, a closed pipe) tail stops, releases what it holds, exit 1.\n` +
        `A --filter that fails on a message: exit 2 naming the message; everything is released.\n` +
        `Ctrl-C: the request in hand is finished, held messages are released, exit 0.\n` +
        PEEK_NOTES,
    )
    .addHelpText(
      "after",
      examples([
        "sqsctl tail orders",
        "sqsctl tail orders --filter \"json.status == 'failed'\" | jq .",
        "sqsctl tail orders --until-empty --delete > drained.ndjson",
      ]),
    )
    .action(lazy(rt, () => import("../commands/messages/tail.js")));

  program
    .command("export")
    .argument("<queue>", "queue name, URL or ARN")
    .description("write every message (or --max) to a file as NDJSON envelopes; with --delete, move them out of the queue")
    .requiredOption("--file <file>", "the NDJSON file to write (- for stdout)")
    .option("--max <n>", "stop after this many messages")
    .option("--delete", "delete each message once its line is on disk (written and fsynced)")
    .option("--append", "append to the file instead of replacing it (a partial last line, left by an interrupted export, is cut off and reported: its messages were never deleted)")
    .option("--wait <dur>", "long-poll wait before the queue counts as empty, 1s-20s (served as polls of at most 4s, so Ctrl-C never has to cut one)", "1s")
    .option("--concurrency <n>", "receive loops in parallel, 1-32 (default: 32)")
    .addHelpText(
      "after",
      `\nWithout --delete every message is held (in flight, renewed every 30 s by a heartbeat)\n` +
        `until the export finishes and is then released (if export is killed, they return within\n` +
        `a minute), so each is written once and the queue is left as it was. SQS limits a\n` +
        `standard queue to about 120,000 messages in flight: export larger queues with --delete.\n` +
        `With --delete a message is deleted only after its line is flushed to disk, so a crash\n` +
        `leaves every message in the queue or in the file (possibly both: reported as duplicates).\n` +
        `The count goes to stderr (and stdout with -o json). Import the file with 'sqsctl import'.\n` +
        `A partial export exits 1 and says why: on a FIFO queue without --delete only the first\n` +
        `message of each group can be read; messages in flight at another consumer are not seen.\n` +
        PEEK_NOTES,
    )
    .addHelpText(
      "after",
      examples([
        "sqsctl export orders-dlq --file dlq.ndjson",
        "sqsctl export orders-dlq --file dlq.ndjson --delete",
        "sqsctl export orders --file - --max 50 | jq -r .body",
      ]),
    )
    .action(lazy(rt, () => import("../commands/messages/export.js")));

  sendBatch("import", "import");
}
