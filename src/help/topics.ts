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
