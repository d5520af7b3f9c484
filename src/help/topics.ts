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
};
