import { STATE_DIR_HELP } from "../core/state-dir.js";
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
  "x"         a FIELD named x, not text: json.errorType == "Timeout" compares
              with a field called Timeout and matches nothing (sqsctl warns when
              no message has such a field). Text is 'Timeout'
  == != < <= > >=   comparisons (= alone is an error);  && || !   and, or, not
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
  output: {
    summary: "where results, notes and errors go; -o, -q, --query; JSON naming; colour and width",
    text: `Output: the rules every command follows

stdout: results, and only results
  What you asked to see (lists, records, messages) or what a command made (a
  MessageId, a queue URL), in the format of -o:
    -o table   the default on a terminal: tables that fit its width (long names
               wrap; message previews are cut); plain aligned columns when piped
    -o json    one JSON document
    -o ndjson  one JSON object a line
  Message streams (receive, tail, dlq inspect, export --file -) print NDJSON
  envelopes when stdout is not a terminal, without -o.
  With -o json or ndjson, commands that change things print their summary as JSON
  here ({"purged", "messages", ...}, {"sent", "failed", ...}).

stderr: everything else
  Progress, notes, and the summary of work done on a terminal ("sent 300 messages
  in 1.2s", "purged orders"), silenced by -q. Warnings and errors always print.
  So 'sqsctl ... -o json | jq' always reads clean JSON, and 'sqsctl ... -q' prints
  only results and problems.

JSON names
  Every key sqsctl names is camelCase (messageId, inFlight, maxReceiveCount).
  Names that are your data or SQS's are kept as they are: message attribute
  names, tag keys, queue attribute names under "attributes" (VisibilityTimeout, as
  'aws sqs get-queue-attributes' prints them), queue names used as keys, and a
  message attribute's value {"DataType", "StringValue" | "BinaryValue"}, which is
  SQS's own shape and what send-batch and import read back.

--query EXPR
  JMESPath (the language of the AWS CLI's --query) applied to the JSON result
  before it is printed: to the document with -o json (the default with --query),
  to each line with -o ndjson. Put the expression in single quotes in bash.
    sqsctl queues list --query '[].name'
    sqsctl queues list --query '[?visible > \`0\`].{name: name, visible: visible}'
    sqsctl send orders hello --query messageId
    sqsctl receive orders --max 5 -o ndjson --query body
  A field that does not exist gives null, as in the AWS CLI.

Colour
  On for a terminal; off with --no-color, NO_COLOR=1 (an empty NO_COLOR is
  ignored, per no-color.org), TERM=dumb, JSON output, or when piped.
  FORCE_COLOR=1 (any value but 0 or false) forces it on when piped.
  TERM=dumb also draws tables with ASCII (+-|) instead of box characters.

Exit codes: see 'sqsctl help exit-codes'. Answering "no" to a confirmation exits
1 and Ctrl-C at a prompt exits 130, so 'sqsctl purge q && next-step' stops.
`,
  },
  "exit-codes": {
    summary: "what each exit code means",
    text: `Exit codes

  0    success
  1    the operation failed, wholly or partly (some messages not sent, moved or
       deleted; a queue that does not exist; the server unreachable), or you
       answered "no" to a confirmation: nothing was done
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
  config: {
    summary: "where sqsctl finds region, endpoint, credentials and proxy, as the AWS CLI does",
    text: `AWS configuration

Like the AWS CLI v2 and boto3, sqsctl reads ~/.aws/config and ~/.aws/credentials
(or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE); --profile NAME and
AWS_PROFILE=NAME mean the same thing.

  region     --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region
  endpoint   --endpoint-url (or --local), AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL,
             the profile's services section (sqs = / endpoint_url = ...), the
             profile's endpoint_url; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true or
             ignore_configured_endpoint_urls = true skips all but the flags.
             Every call goes to that endpoint, whatever host a queue URL names.
  proxy      HTTPS_PROXY for https:// endpoints, HTTP_PROXY for http:// ones (lower
             case wins), NO_PROXY lists hosts (and subdomains, host:port, or *)
             to reach directly; AWS_CA_BUNDLE or ca_bundle (a PEM file) adds CAs
             to trust, e.g. a TLS-inspecting proxy's
  timeout    a request unanswered for SQSCTL_REQUEST_TIMEOUT seconds (default 20,
             plus the wait of a long poll) fails and is retried (5 attempts)

A profile in ~/.aws/config:

  [profile local]
  region = us-east-1
  endpoint_url = http://127.0.0.1:9324

State (journals, the completion cache) is kept in ${STATE_DIR_HELP}.
Passwords in URLs, keys, tokens and signatures are never printed, --debug included.
`,
  },
};
