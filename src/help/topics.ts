/**
 * Help topics for `sqsctl help <topic>`. Plain strings so that printing them loads
 * nothing else. Add a topic by adding an entry here.
 */
export const HELP_TOPICS: Record<string, { summary: string; text: string }> = {
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
