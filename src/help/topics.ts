/**
 * Help topics for `sqsctl help <topic>`. Plain strings so that printing them loads
 * nothing else. Add a topic by adding an entry here.
 */
export const HELP_TOPICS: Record<string, { summary: string; text: string }> = {
  filters: {
    summary: "--filter / --group-by expressions (JMESPath) and the message envelope",
    text: `Filters

--filter (tail, and the DLQ commands) and --group-by take a JMESPath expression,
the query language of 'aws --query'. It is evaluated on each message's envelope,
the same JSON object that receive, tail and export print:

  messageId          the SQS message id
  body               the body, as text
  json               the body parsed as JSON (null when the body is not JSON)
  messageAttributes  {name: {DataType, StringValue | BinaryValue (base64)}}
  groupId, dedupId   FIFO message group and deduplication id
  receiveCount       how many times the message has been received
  sentAt             ISO 8601 time it was sent; firstReceivedAt likewise
  sourceQueueArn     for a message in a DLQ, the queue it came from (when known)
  sequenceNumber     FIFO sequence number

A message passes --filter when the expression is "truthy": not false, null, an
empty string, an empty list or an empty object. Literals go in backticks
(\`3\`, \`"eu"\`), raw strings in single quotes ('failed'). In bash and zsh, put an
expression that has backticks in single quotes, or the shell runs them.

Examples:
  sqsctl tail orders --filter "json.status == 'failed'"
  sqsctl tail orders --filter 'receiveCount > \`2\`'
  sqsctl tail orders --filter "contains(body, 'refund')"
  sqsctl tail orders --filter "messageAttributes.source.StringValue == 'web'"
  sqsctl tail orders --filter 'json.amount > \`100\` && groupId == \`"eu"\`'
  sqsctl dlq inspect orders-dlq --group-by json.errorType
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
  130  interrupted (Ctrl-C or SIGTERM); the request in hand was finished and the
       messages the command held were released first

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

The journal (manual): ~/.sqsctl/journal/<dlq>-<time>.ndjson unless --journal
FILE (--no-journal for none; SQSCTL_HOME moves ~/.sqsctl). For each source
MessageId it records "sending", "sent" (with the target's MessageId, fsynced
before the delete) and "deleted". A run that was killed is resumed by running
the same command again (the newest unfinished journal of that DLQ is picked up)
or with --journal FILE: a message journaled as sent is deleted from the DLQ
without being sent again; one that was being sent when the run died may be sent
twice, and is counted under "duplicates".

Dry run: --dry-run shows the plan and the messages that would move (it receives
them and releases them again); nothing is sent or deleted.
`,
  },
};
