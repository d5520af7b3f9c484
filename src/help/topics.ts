/**
 * Help topics for `sqsctl help <topic>`. Plain strings so that printing them loads
 * nothing else. Add a topic by adding an entry here.
 */
export const HELP_TOPICS: Record<string, { summary: string; text: string }> = {
  filters: {
    summary: "--filter and --group-by: JMESPath over each message's envelope, with examples",
    text: `Filters and groups (--filter, --group-by)

--filter EXPR (tail, browse, dlq inspect, dlq redrive) keeps the messages for
which EXPR is true; --group-by EXPR (dlq inspect) counts messages per value of
EXPR. EXPR is JMESPath, the query language of 'aws --query', evaluated on each
message's envelope: the same JSON object that receive, tail and export print.

  messageId          the SQS message id
  body               the body, as text
  json               the body parsed as JSON, or null when it is not JSON
  messageAttributes  {NAME: {DataType, StringValue | BinaryValue (base64)}}
  groupId            FIFO message group id
  dedupId            FIFO deduplication id
  receiveCount       how many times it has been received (a number)
  sentAt             when it was first sent (ISO 8601 text, UTC)
  firstReceivedAt    when it was first received (ISO 8601 text, UTC)
  sourceQueueArn     for a message in a DLQ, the queue it came from (when known)
  sequenceNumber     FIFO sequence number (text)

A message passes --filter when EXPR is "truthy": not false, null, an empty
string, an empty list or an empty object.

Writing expressions
  'text'      a raw string: single quotes (inside the shell's double quotes)
  \`3\`         a number (or any JSON: \`"eu"\`, \`null\`) literal: backticks. In bash
              and zsh put an expression with backticks in single quotes, or the
              shell runs them
  == != < <= > >=   comparisons;  && || !   and, or, not
  a.b.c       a missing field is null, never an error
  Functions: contains, starts_with, ends_with, length, to_number, to_string,
  type, keys, values, max, min, sort, join, not_null

Examples
  --filter "json.errorType == 'Timeout'"
  --filter 'receiveCount > \`3\`'
  --filter "contains(body, 'refund')"
  --filter "messageAttributes.reason.StringValue == 'card_declined'"
  --filter "json.errorType == 'Timeout' && json.attempt >= \\\`2\\\`"
  --filter 'json.amount > \`100\` && groupId == \`"eu"\`'
  --filter "starts_with(sentAt, '2026-11-22')"        # sent that day (UTC)
  --filter 'json == \`null\`'                          # bodies that are not JSON
  --filter "contains(['Timeout', 'Throttled'], json.errorType)"
  --filter '!contains(body, \`"test"\`)'               # ! only in single quotes in bash
  --group-by json.errorType
  --group-by messageAttributes.reason.StringValue
  --group-by "json.customer.tier || 'unknown'"
  --group-by "ends_with(sourceQueueArn || '', ':orders')"

Functions fail on the wrong type (starts_with on a number): guard a field that
may be missing or of another type with "field || ''" or to_string(field).

In commands:
  sqsctl tail orders --filter "json.status == 'failed'"
  sqsctl dlq inspect orders-dlq --group-by json.errorType
  sqsctl dlq redrive orders-dlq --dry-run --filter "json.errorType == 'Timeout'"
  sqsctl browse orders-dlq --filter 'receiveCount > \`5\`'
`,
  },
  "exit-codes": {
    summary: "what each exit code means",
    text: `Exit codes

  0    success
  1    the operation failed, wholly or partly (some messages not sent, moved or
       deleted; a queue that does not exist; the server unreachable)
  2    usage error or invalid input: a bad flag or value, an invalid input line
       (nothing is sent), or a destructive command run without a terminal and
       without --yes
  4    no usable credentials, or access denied
  130  interrupted (Ctrl-C, SIGTERM, or SIGHUP when the terminal closes), by
       every command that was stopped, tail and watch included; the request in
       hand was finished (or cancelled after 5 s) and the messages the command
       held were released first. A second Ctrl-C cancels what is in flight, a
       third exits at once. 'sqsctl local' exits 0 when stopped: that is its end.

Scripts can rely on these: 'sqsctl send-batch q file.ndjson || echo "failed: $?"'.
`,
  },
  redrive: {
    summary: "how 'dlq redrive' moves messages without losing one, and how to resume",
    text: `How sqsctl redrives a dead-letter queue

Strategies (--strategy, default auto)
  native   one SQS message move task (StartMessageMoveTask): SQS moves every
           message itself, to --to or back to each message's source queue, at
           --rate messages/s (max 500). Progress from ListMessageMoveTasks; Ctrl-C
           asks whether to cancel the task or leave it running. 'sqsctl dlq moves'
           lists tasks, 'sqsctl dlq cancel HANDLE' cancels one.
  manual   receive -> send to the target -> delete from the DLQ only the messages
           whose send succeeded (every batch's Failed list is read). Keeps the
           body, message attributes and FIFO group id; FIFO targets get a
           deduplication id derived from the original MessageId, so a retried
           send is not a second copy. Needed for --filter and --max.
  auto     native when there is no --filter or --max and the server has move
           tasks; manual otherwise. It says which and why.

Target: --to, else each message's DeadLetterQueueSourceArn, else the DLQ's only
source queue. A DLQ with several sources and no --to is refused (exit 2).

Never stopping early: the manual engine long-polls and ends only after several
empty long polls in a row AND the DLQ reporting no visible messages. Messages
that do not match --filter are held (hidden) until the end, so each is looked at
once, then released. Ctrl-C finishes the batches in hand, releases the rest and
exits 130.

The journal (manual): $XDG_STATE_HOME/sqsctl/journals (~/.local/state/sqsctl/
journals) unless --journal FILE (--no-journal for none); send-batch keeps its
journals there too. Each record is checksummed; a torn or damaged one counts as
unknown, never as done. For each source MessageId it records "sending", "sent"
(with the target's MessageId, fsynced before the delete) and "deleted". A journal
belongs to one endpoint, account and DLQ and is never resumed across them. A run
that was killed is resumed by running the same command again (the newest
unfinished journal of that DLQ is picked up) or with --journal FILE: a message
journaled as sent is deleted from the DLQ without being sent again; one that was
being sent when the run died may be sent twice, and is counted under
"duplicates". Several redrives at once on one DLQ (on this machine) read each
other's journals, so what one sent is not sent again by another.

Dry run: --dry-run shows the plan and the messages that would move (it receives
them and releases them again); nothing is sent or deleted.
`,
  },
};
