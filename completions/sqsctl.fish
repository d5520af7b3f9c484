# fish completion for sqsctl.
# Generated from the command tree by `sqsctl completion`; do not edit by hand (run `npm run completions`).
# Install: sqsctl completion fish > ~/.config/fish/completions/sqsctl.fish
# Queue names complete from a cache (~/.local/state/sqsctl/completion, 60 s); SQSCTL_COMPLETE_QUEUES=0 turns that off.

function __sqsctl_sub --argument-names p w
    switch "$p|$w"
        case '|local'
            echo 'local'
        case '|queues' '|queue'
            echo 'queues'
        case '|purge'
            echo 'purge'
        case '|send'
            echo 'send'
        case '|send-batch' '|bulk-send'
            echo 'send-batch'
        case '|receive'
            echo 'receive'
        case '|tail'
            echo 'tail'
        case '|export'
            echo 'export'
        case '|import'
            echo 'import'
        case '|delete'
            echo 'delete'
        case '|visibility'
            echo 'visibility'
        case '|dlq'
            echo 'dlq'
        case '|browse' '|interactive'
            echo 'browse'
        case '|watch'
            echo 'watch'
        case '|completion'
            echo 'completion'
        case '|help'
            echo 'help'
        case 'queues|list' 'queues|ls'
            echo 'queues list'
        case 'queues|show'
            echo 'queues show'
        case 'queues|create'
            echo 'queues create'
        case 'queues|update'
            echo 'queues update'
        case 'queues|allow'
            echo 'queues allow'
        case 'queues|deny'
            echo 'queues deny'
        case 'queues|delete' 'queues|rm'
            echo 'queues delete'
        case 'dlq|list' 'dlq|ls'
            echo 'dlq list'
        case 'dlq|inspect'
            echo 'dlq inspect'
        case 'dlq|redrive'
            echo 'dlq redrive'
        case 'dlq|moves'
            echo 'dlq moves'
        case 'dlq|cancel'
            echo 'dlq cancel'
        case '*'
            return 1
    end
end

function __sqsctl_optval --argument-names p o
    switch "$p|$o"
        case '*|--region'
            echo 'none'
        case '*|--profile'
            echo 'none'
        case '*|--endpoint-url'
            echo 'none'
        case '*|-o'
            echo 'choices=table,json,ndjson'
        case '*|--output'
            echo 'choices=table,json,ndjson'
        case '*|--query'
            echo 'none'
        case 'local|--port'
            echo 'none'
        case 'local|--host'
            echo 'none'
        case 'local|--data-dir'
            echo 'file'
        case 'local|--seed'
            echo 'none'
        case 'queues list|--prefix'
            echo 'none'
        case 'queues create|--dlq'
            echo 'queue'
        case 'queues create|--max-receive'
            echo 'none'
        case 'queues create|--visibility-timeout'
            echo 'none'
        case 'queues create|--retention'
            echo 'none'
        case 'queues create|--delay'
            echo 'none'
        case 'queues create|--max-message-size'
            echo 'none'
        case 'queues create|--wait'
            echo 'none'
        case 'queues create|--kms-key'
            echo 'none'
        case 'queues create|--tag'
            echo 'none'
        case 'queues create|--attribute'
            echo 'none'
        case 'queues update|--dlq'
            echo 'queue'
        case 'queues update|--max-receive'
            echo 'none'
        case 'queues update|--visibility-timeout'
            echo 'none'
        case 'queues update|--retention'
            echo 'none'
        case 'queues update|--delay'
            echo 'none'
        case 'queues update|--max-message-size'
            echo 'none'
        case 'queues update|--wait'
            echo 'none'
        case 'queues update|--kms-key'
            echo 'none'
        case 'queues update|--tag'
            echo 'none'
        case 'queues update|--attribute'
            echo 'none'
        case 'queues update|--untag'
            echo 'none'
        case 'queues update|--redrive-allow'
            echo 'none'
        case 'queues update|--policy'
            echo 'file'
        case 'queues allow|--from-sns'
            echo 'none'
        case 'queues allow|--from-s3'
            echo 'none'
        case 'queues allow|--source-account'
            echo 'none'
        case 'queues allow|--from-account'
            echo 'none'
        case 'queues allow|--from-eventbridge'
            echo 'none'
        case 'queues deny|--sid'
            echo 'none'
        case 'send|--file'
            echo 'file'
        case 'send|--attr'
            echo 'none'
        case 'send|--delay'
            echo 'none'
        case 'send|--group-id'
            echo 'none'
        case 'send|--dedup-id'
            echo 'none'
        case 'send-batch|--concurrency'
            echo 'none'
        case 'send-batch|--rate'
            echo 'none'
        case 'send-batch|--group-id'
            echo 'none'
        case 'send-batch|--failed-file'
            echo 'file'
        case 'send-batch|--journal'
            echo 'file'
        case 'receive|--max'
            echo 'none'
        case 'receive|--wait'
            echo 'none'
        case 'receive|--visibility-timeout'
            echo 'none'
        case 'tail|--max'
            echo 'none'
        case 'tail|--filter'
            echo 'none'
        case 'tail|--wait'
            echo 'none'
        case 'export|--file'
            echo 'file'
        case 'export|--max'
            echo 'none'
        case 'export|--wait'
            echo 'none'
        case 'export|--concurrency'
            echo 'none'
        case 'import|--concurrency'
            echo 'none'
        case 'import|--rate'
            echo 'none'
        case 'import|--group-id'
            echo 'none'
        case 'import|--failed-file'
            echo 'file'
        case 'import|--journal'
            echo 'file'
        case 'delete|--receipt-handle'
            echo 'none'
        case 'delete|--id'
            echo 'none'
        case 'delete|--scan-max'
            echo 'none'
        case 'delete|--wait'
            echo 'none'
        case 'visibility|--receipt-handle'
            echo 'none'
        case 'visibility|--timeout'
            echo 'none'
        case 'dlq list|--growth'
            echo 'none'
        case 'dlq inspect|--limit'
            echo 'none'
        case 'dlq inspect|--filter'
            echo 'none'
        case 'dlq inspect|--group-by'
            echo 'none'
        case 'dlq inspect|--save'
            echo 'file'
        case 'dlq inspect|--hold'
            echo 'none'
        case 'dlq inspect|--report'
            echo 'file'
        case 'dlq inspect|--sample'
            echo 'none'
        case 'dlq redrive|--to'
            echo 'queue'
        case 'dlq redrive|--filter'
            echo 'none'
        case 'dlq redrive|--max'
            echo 'none'
        case 'dlq redrive|--rate'
            echo 'none'
        case 'dlq redrive|--strategy'
            echo 'choices=auto,native,manual'
        case 'dlq redrive|--journal'
            echo 'file'
        case 'dlq redrive|--concurrency'
            echo 'none'
        case 'dlq redrive|--hold'
            echo 'none'
        case 'browse|--filter'
            echo 'none'
        case 'browse|--limit'
            echo 'none'
        case 'browse|--hold'
            echo 'none'
        case 'browse|--scan'
            echo 'none'
        case 'watch|--prefix'
            echo 'none'
        case 'watch|--interval'
            echo 'none'
        case 'watch|--count'
            echo 'none'
        case '*'
            return 1
    end
end

# Prints "PATH|N": the command path typed so far and how many positional arguments follow it.
function __sqsctl_where
    set -l toks (commandline -opc)
    set -l p ''
    set -l n 0
    set -l skip 0
    set -l next
    for w in $toks[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $w
            case '--*=*'
                continue
            case '-*'
                __sqsctl_optval "$p" $w >/dev/null; and set skip 1
                continue
        end
        if test $n = 0; and set next (__sqsctl_sub "$p" $w)
            set p $next
        else
            set n (math $n + 1)
        end
    end
    echo "$p|$n"
end

function __sqsctl_at --argument-names want
    set -l here (__sqsctl_where)
    string match -q -- "$want|*" $here
end

# True at positional argument INDEX of PATH (INDEX+ matches it and every later one).
function __sqsctl_arg --argument-names want index
    set -l here (string split '|' -- (__sqsctl_where))
    test "$here[1]" = "$want"; or return 1
    if string match -q '*+' -- $index
        test $here[2] -ge (string trim -r -c + -- $index)
    else
        test $here[2] -eq $index
    end
end

function __sqsctl_queues
    test "$SQSCTL_COMPLETE_QUEUES" = 0; and return
    set -l toks (commandline -opc)
    $toks[1] __complete-queues -- $toks[2..-1] 2>/dev/null </dev/null
end

complete -c sqsctl -f

# options accepted everywhere
complete -c sqsctl -l region -x -d 'AWS region (default: AWS_REGION or your profile\'s region)'
complete -c sqsctl -l profile -x -d 'AWS profile from ~/.aws/config (default: AWS_PROFILE)'
complete -c sqsctl -l endpoint-url -x -d 'SQS endpoint (default: AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL, or AWS\'s)'
complete -c sqsctl -l local -d 'use the embedded server at http://127.0.0.1:$SQSCTL_LOCAL_PORT (default 9324), region us-east-1'
complete -c sqsctl -s o -l output -x -a 'table json ndjson' -d 'output format (default: table on a terminal)'
complete -c sqsctl -l query -x -d 'JMESPath applied to the JSON result, as in the AWS CLI (implies -o json; see \'sqsctl help output\')'
complete -c sqsctl -l no-color -d 'no colour (also NO_COLOR, TERM=dumb, JSON output, or piped; FORCE_COLOR forces it)'
complete -c sqsctl -s q -l quiet -d 'no progress or notes on stderr (errors and warnings still print)'
complete -c sqsctl -l debug -d 'log each SQS request and show stack traces (credentials are never printed)'
complete -c sqsctl -s h -l help -d 'show help'
complete -c sqsctl -n "__sqsctl_at ''" -s V -l version -d 'print the version'

# sqsctl: subcommands
complete -c sqsctl -n "__sqsctl_at ''" -a 'local' -d 'run an embedded SQS-compatible server (fauxqs) in the foreground, on 127.0.0.1 by default'
complete -c sqsctl -n "__sqsctl_at ''" -a 'queues' -d 'list, show, create, update and delete queues; who may send to them'
complete -c sqsctl -n "__sqsctl_at ''" -a 'purge' -d 'delete every message in a queue (asks you to type the queue name; --yes when not on a terminal)'
complete -c sqsctl -n "__sqsctl_at ''" -a 'send' -d 'send one message; prints its MessageId (the whole response with -o json)'
complete -c sqsctl -n "__sqsctl_at ''" -a 'send-batch' -d 'send many messages from NDJSON envelopes (or raw lines): validates all first, then sends in parallel batches'
complete -c sqsctl -n "__sqsctl_at ''" -a 'receive' -d 'receive up to --max messages (looping past 10); readable on a terminal, NDJSON envelopes when piped'
complete -c sqsctl -n "__sqsctl_at ''" -a 'tail' -d 'follow a queue with continuous long polls until Ctrl-C, --max, or --until-empty'
complete -c sqsctl -n "__sqsctl_at ''" -a 'export' -d 'write every message (or --max) to a file as NDJSON envelopes; with --delete, move them out of the queue'
complete -c sqsctl -n "__sqsctl_at ''" -a 'import' -d 'send the messages of an export file back to a queue, keeping bodies, attributes, group ids and dedup ids'
complete -c sqsctl -n "__sqsctl_at ''" -a 'delete' -d 'delete chosen messages: by receipt handle (from \'receive -o json\'), or by MessageId with a bounded scan'
complete -c sqsctl -n "__sqsctl_at ''" -a 'visibility' -d 'change how long received messages stay hidden (0s gives them back now)'
complete -c sqsctl -n "__sqsctl_at ''" -a 'dlq' -d 'dead-letter queue triage: find DLQs, inspect and group what failed, redrive it safely'
complete -c sqsctl -n "__sqsctl_at ''" -a 'browse' -d 'look through a queue\'s messages in a searchable list, pick some, and view, delete, redrive, export or copy them (needs a terminal; every message not acted on is visible again when you leave)'
complete -c sqsctl -n "__sqsctl_at ''" -a 'watch' -d 'live view of queue depths: visible, in flight, delayed, DLQ depth, change per minute and a sparkline (NDJSON when piped)'
complete -c sqsctl -n "__sqsctl_at ''" -a 'completion' -d 'print a shell completion script (commands, flags, flag values and queue names)'
complete -c sqsctl -n "__sqsctl_at ''" -a 'help' -d 'show help for a command or a topic'

# queues: subcommands
complete -c sqsctl -n "__sqsctl_at 'queues'" -a 'list' -d 'list every queue with its message counts, DLQ and maxReceiveCount'
complete -c sqsctl -n "__sqsctl_at 'queues'" -a 'show' -d 'show all attributes of a queue in readable form, its tags, and the queues that use it as a DLQ'
complete -c sqsctl -n "__sqsctl_at 'queues'" -a 'create' -d 'create a queue, optionally with a dead-letter queue (idempotent: same settings succeed)'
complete -c sqsctl -n "__sqsctl_at 'queues'" -a 'update' -d 'change an existing queue\'s settings, DLQ, tags and policies: shows the before/after of what changes, then applies it'
complete -c sqsctl -n "__sqsctl_at 'queues'" -a 'allow' -d 'let a producer send to the queue: adds the access-policy statement AWS documents for it (idempotent; keeps other statements)'
complete -c sqsctl -n "__sqsctl_at 'queues'" -a 'deny' -d 'remove one statement from the queue\'s access policy, by its Sid (see \'queues show\')'
complete -c sqsctl -n "__sqsctl_at 'queues'" -a 'delete' -d 'delete a queue and every message in it (asks first; --yes when not on a terminal)'

# dlq: subcommands
complete -c sqsctl -n "__sqsctl_at 'dlq'" -a 'list' -d 'list every queue that is a DLQ, with its message counts, its oldest message\'s age, its source queues, and its growth (since the previous look by default; --growth counts twice, that long apart)'
complete -c sqsctl -n "__sqsctl_at 'dlq'" -a 'inspect' -d 'look at a DLQ without removing anything: receives every message (hidden while it looks, de-duplicated), summarises and groups them, then releases them all (also on Ctrl-C)'
complete -c sqsctl -n "__sqsctl_at 'dlq'" -a 'redrive' -d 'move messages from a DLQ back to their source queue (or --to): native move task when possible, otherwise receive -> send -> delete only what was sent, with a journal so a killed run can be resumed'
complete -c sqsctl -n "__sqsctl_at 'dlq'" -a 'moves' -d 'list the DLQ\'s message move tasks (native redrives) with status and progress'
complete -c sqsctl -n "__sqsctl_at 'dlq'" -a 'cancel' -d 'cancel a running message move task (messages already moved stay moved)'

# local: options
complete -c sqsctl -n "__sqsctl_at 'local'" -l port -x -d 'port to listen on (0 picks a free one)'
complete -c sqsctl -n "__sqsctl_at 'local'" -l host -x -d 'interface to bind; anything but loopback exposes the server to your network'
complete -c sqsctl -n "__sqsctl_at 'local'" -l data-dir -r -F -d 'keep queues and messages in SQLite files here across restarts (default: in memory)'
complete -c sqsctl -n "__sqsctl_at 'local'" -l seed -x -d 'create a ready-made scene after start (demo: orders queue with a DLQ of failed messages)'

# queues list: options
complete -c sqsctl -n "__sqsctl_at 'queues list'" -l prefix -x -d 'only queues whose name starts with this'

# queues create: options
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l fifo -d 'create a FIFO queue'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l dlq -x -a '(__sqsctl_queues)' -d 'existing queue (name, URL or ARN) to use as the dead-letter queue'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l create-dlq -d 'also create NAME-dlq (14-day retention) and use it as the dead-letter queue'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l content-based-dedup -d 'FIFO: deduplicate on a hash of the body'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l max-receive -x -d 'receives before a message moves to the DLQ, 1-1000 (default: 5)'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l visibility-timeout -x -d 'visibility timeout, 0s-12h (SQS default 30s)'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l retention -x -d 'message retention, 1m-14d (SQS default 4d)'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l delay -x -d 'delivery delay, 0s-15m (SQS default 0s)'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l max-message-size -x -d 'largest message in bytes, 1024-1048576, or 256KiB / 1MiB'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l wait -x -d 'receive wait time (long polling), 0s-20s'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l sse -d 'server-side encryption with SQS-managed keys (SSE-SQS)'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l kms-key -x -d 'server-side encryption with this KMS key (SSE-KMS): key id, alias/NAME or ARN'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l tag -x -d 'tag the queue (repeatable)'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l attribute -x -d 'set any other SQS attribute (repeatable)'

# queues update: options
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l dlq -x -a '(__sqsctl_queues)' -d 'use this queue (name, URL or ARN) as the dead-letter queue'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l no-dlq -d 'remove the dead-letter queue (risky: asks, or needs --yes)'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l create-dlq -d 'create QUEUE-dlq (14-day retention) and use it as the dead-letter queue'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l content-based-dedup -d 'FIFO: deduplicate on a hash of the body'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l max-receive -x -d 'receives before a message moves to the DLQ, 1-1000 (keeps the DLQ)'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l visibility-timeout -x -d 'visibility timeout, 0s-12h (SQS default 30s)'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l retention -x -d 'message retention, 1m-14d (SQS default 4d)'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l delay -x -d 'delivery delay, 0s-15m (SQS default 0s)'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l max-message-size -x -d 'largest message in bytes, 1024-1048576, or 256KiB / 1MiB'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l wait -x -d 'receive wait time (long polling), 0s-20s'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l sse -d 'server-side encryption with SQS-managed keys (SSE-SQS)'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l kms-key -x -d 'server-side encryption with this KMS key (SSE-KMS): key id, alias/NAME or ARN'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l tag -x -d 'tag the queue (repeatable)'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l attribute -x -d 'set any other SQS attribute (repeatable)'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l no-sse -d 'turn server-side encryption off (risky)'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l no-content-based-dedup -d 'FIFO: turn content-based deduplication off'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l untag -x -d 'remove a tag (repeatable)'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l redrive-allow -x -d 'which queues may use this one as their DLQ: all, none, or up to 10 comma-separated queues'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l policy -r -F -d 'replace the access policy with this JSON file (checked first; see also \'queues allow\')'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -l dry-run -d 'show what would change; change nothing'
complete -c sqsctl -n "__sqsctl_at 'queues update'" -s y -l yes -d 'apply risky changes without asking'

# queues allow: options
complete -c sqsctl -n "__sqsctl_at 'queues allow'" -l from-sns -x -d 'an SNS topic (for a subscription of this queue)'
complete -c sqsctl -n "__sqsctl_at 'queues allow'" -l from-s3 -x -d 'an S3 bucket\'s event notifications'
complete -c sqsctl -n "__sqsctl_at 'queues allow'" -l source-account -x -d '--from-s3: the bucket owner\'s account (default: the queue\'s)'
complete -c sqsctl -n "__sqsctl_at 'queues allow'" -l from-account -x -d 'another AWS account (sqs:SendMessage for its principals)'
complete -c sqsctl -n "__sqsctl_at 'queues allow'" -l from-eventbridge -x -d 'an EventBridge rule with this queue as a target'
complete -c sqsctl -n "__sqsctl_at 'queues allow'" -l dry-run -d 'show the policy change; change nothing'

# queues deny: options
complete -c sqsctl -n "__sqsctl_at 'queues deny'" -l sid -x -d 'the statement\'s Sid'
complete -c sqsctl -n "__sqsctl_at 'queues deny'" -l dry-run -d 'show the policy change; change nothing'

# queues delete: options
complete -c sqsctl -n "__sqsctl_at 'queues delete'" -s y -l yes -d 'do not ask for confirmation'

# purge: options
complete -c sqsctl -n "__sqsctl_at 'purge'" -s y -l yes -d 'do not ask for confirmation'

# send: options
complete -c sqsctl -n "__sqsctl_at 'send'" -l file -r -F -d 'read the body from a file (- for stdin)'
complete -c sqsctl -n "__sqsctl_at 'send'" -l attr -x -d 'message attribute: k=v (String), k:Number=3, k:Binary=@file (repeatable, at most 10)'
complete -c sqsctl -n "__sqsctl_at 'send'" -l delay -x -d 'delivery delay, 0s-15m (standard queues only)'
complete -c sqsctl -n "__sqsctl_at 'send'" -l group-id -x -d 'FIFO: the message group (required on a FIFO queue)'
complete -c sqsctl -n "__sqsctl_at 'send'" -l dedup-id -x -d 'FIFO: the deduplication id (not needed with content-based deduplication)'

# send-batch: options
complete -c sqsctl -n "__sqsctl_at 'send-batch'" -l raw -d 'each line is a message body (not JSON)'
complete -c sqsctl -n "__sqsctl_at 'send-batch'" -l concurrency -x -d 'batch calls in flight at once, 1-256 (default: adapts while sending, from 64 up to 128)'
complete -c sqsctl -n "__sqsctl_at 'send-batch'" -l rate -x -d 'at most this many messages a second (default: as fast as SQS allows)'
complete -c sqsctl -n "__sqsctl_at 'send-batch'" -l group-id -x -d 'FIFO: group for lines that have no groupId'
complete -c sqsctl -n "__sqsctl_at 'send-batch'" -l failed-file -r -F -d 'write messages that still failed after retries here, as envelopes with "line" and "errorCode"'
complete -c sqsctl -n "__sqsctl_at 'send-batch'" -l dry-run -d 'validate only; send nothing'
complete -c sqsctl -n "__sqsctl_at 'send-batch'" -l journal -r -F -d 'progress journal (default: $XDG_STATE_HOME/sqsctl/journals, i.e. ~/.local/state/sqsctl/journals/send-batch-<hash>.journal, printed)'
complete -c sqsctl -n "__sqsctl_at 'send-batch'" -l no-journal -d 'keep no journal (--resume will not be possible)'
complete -c sqsctl -n "__sqsctl_at 'send-batch'" -l resume -d 'after an interruption: send only what the journal does not show as confirmed'
complete -c sqsctl -n "__sqsctl_at 'send-batch'" -l restart -d 'ignore an unfinished journal for this input and send everything again'

# receive: options
complete -c sqsctl -n "__sqsctl_at 'receive'" -l max -x -d 'how many messages at most'
complete -c sqsctl -n "__sqsctl_at 'receive'" -l wait -x -d 'long-poll wait, 0s-20s (served as polls of at most 4s, so Ctrl-C never has to cut one)'
complete -c sqsctl -n "__sqsctl_at 'receive'" -l visibility-timeout -x -d 'how long received messages stay hidden, 0s-12h (default: the queue\'s)'
complete -c sqsctl -n "__sqsctl_at 'receive'" -l delete -d 'delete each message after printing it (consumes them)'
complete -c sqsctl -n "__sqsctl_at 'receive'" -l peek -d 'release the messages at once (visibility 0) instead of leaving them in flight'

# tail: options
complete -c sqsctl -n "__sqsctl_at 'tail'" -l delete -d 'consume: delete each message after printing it'
complete -c sqsctl -n "__sqsctl_at 'tail'" -l max -x -d 'stop after this many messages'
complete -c sqsctl -n "__sqsctl_at 'tail'" -l until-empty -d 'stop once the queue is empty (two empty long polls and the queue counting none visible)'
complete -c sqsctl -n "__sqsctl_at 'tail'" -l filter -x -d 'JMESPath over the envelope, body parsed as json (see \'sqsctl help filters\')'
complete -c sqsctl -n "__sqsctl_at 'tail'" -l wait -x -d 'long-poll wait, 1s-20s (served as polls of at most 4s, so Ctrl-C never has to cut one)'

# export: options
complete -c sqsctl -n "__sqsctl_at 'export'" -l file -r -F -d 'the NDJSON file to write (- for stdout)'
complete -c sqsctl -n "__sqsctl_at 'export'" -l max -x -d 'stop after this many messages'
complete -c sqsctl -n "__sqsctl_at 'export'" -l delete -d 'delete each message once its line is on disk (written and fsynced)'
complete -c sqsctl -n "__sqsctl_at 'export'" -l append -d 'append to the file instead of replacing it (a partial last line, left by an interrupted export, is cut off and reported: its messages were never deleted)'
complete -c sqsctl -n "__sqsctl_at 'export'" -l wait -x -d 'long-poll wait before the queue counts as empty, 1s-20s (served as polls of at most 4s, so Ctrl-C never has to cut one)'
complete -c sqsctl -n "__sqsctl_at 'export'" -l concurrency -x -d 'receive loops in parallel, 1-32 (default: 32)'

# import: options
complete -c sqsctl -n "__sqsctl_at 'import'" -l concurrency -x -d 'batch calls in flight at once, 1-256 (default: adapts while sending, from 64 up to 128)'
complete -c sqsctl -n "__sqsctl_at 'import'" -l rate -x -d 'at most this many messages a second (default: as fast as SQS allows)'
complete -c sqsctl -n "__sqsctl_at 'import'" -l group-id -x -d 'FIFO: group for lines that have no groupId'
complete -c sqsctl -n "__sqsctl_at 'import'" -l failed-file -r -F -d 'write messages that still failed after retries here, as envelopes with "line" and "errorCode"'
complete -c sqsctl -n "__sqsctl_at 'import'" -l dry-run -d 'validate only; send nothing'
complete -c sqsctl -n "__sqsctl_at 'import'" -l journal -r -F -d 'progress journal (default: $XDG_STATE_HOME/sqsctl/journals, i.e. ~/.local/state/sqsctl/journals/send-batch-<hash>.journal, printed)'
complete -c sqsctl -n "__sqsctl_at 'import'" -l no-journal -d 'keep no journal (--resume will not be possible)'
complete -c sqsctl -n "__sqsctl_at 'import'" -l resume -d 'after an interruption: send only what the journal does not show as confirmed'
complete -c sqsctl -n "__sqsctl_at 'import'" -l restart -d 'ignore an unfinished journal for this input and send everything again'

# delete: options
complete -c sqsctl -n "__sqsctl_at 'delete'" -l receipt-handle -x -d 'delete the message this handle is for (repeatable)'
complete -c sqsctl -n "__sqsctl_at 'delete'" -l id -x -d 'find the message with this MessageId and delete it (repeatable)'
complete -c sqsctl -n "__sqsctl_at 'delete'" -l scan-max -x -d '--id: look at no more than this many messages'
complete -c sqsctl -n "__sqsctl_at 'delete'" -l wait -x -d '--id: long-poll wait for each receive, 1s-20s'
complete -c sqsctl -n "__sqsctl_at 'delete'" -s y -l yes -d 'do not ask for confirmation'

# visibility: options
complete -c sqsctl -n "__sqsctl_at 'visibility'" -l receipt-handle -x -d 'the message\'s receipt handle from \'receive -o json\' (repeatable)'
complete -c sqsctl -n "__sqsctl_at 'visibility'" -l timeout -x -d 'hidden for this long from now, 0s-12h'

# dlq list: options
complete -c sqsctl -n "__sqsctl_at 'dlq list'" -l growth -x -d 'count again after this long (e.g. 10s, max 5m) and show the change, instead of the change since the previous look'

# dlq inspect: options
complete -c sqsctl -n "__sqsctl_at 'dlq inspect'" -l limit -x -d 'look at this many (matching) messages (default: 100, or all with --group-by)'
complete -c sqsctl -n "__sqsctl_at 'dlq inspect'" -l all -d 'look at every message in the DLQ'
complete -c sqsctl -n "__sqsctl_at 'dlq inspect'" -l filter -x -d 'only messages matching this JMESPath expression (see \'sqsctl help filters\')'
complete -c sqsctl -n "__sqsctl_at 'dlq inspect'" -l group-by -x -d 'count messages per value of this JMESPath expression, e.g. json.errorType'
complete -c sqsctl -n "__sqsctl_at 'dlq inspect'" -l save -r -F -d 'also write the messages looked at as NDJSON envelopes to this file'
complete -c sqsctl -n "__sqsctl_at 'dlq inspect'" -l hold -x -d 'how long messages stay hidden between heartbeats while the scan runs'
complete -c sqsctl -n "__sqsctl_at 'dlq inspect'" -l timeline -d 'also chart the messages over time (by SentTimestamp; one row per bucket, per group)'
complete -c sqsctl -n "__sqsctl_at 'dlq inspect'" -l report -r -F -d 'also write a Markdown triage report (groups, timeline, a sample each, redrive commands) to this file'
complete -c sqsctl -n "__sqsctl_at 'dlq inspect'" -l force -d 'let --report overwrite an existing file'
complete -c sqsctl -n "__sqsctl_at 'dlq inspect'" -l no-bodies -d 'leave message bodies out of the output and the report (they may hold personal data)'
complete -c sqsctl -n "__sqsctl_at 'dlq inspect'" -l sample -x -d 'look at only n messages and estimate the counts for the whole DLQ (for huge DLQs)'
complete -c sqsctl -n "__sqsctl_at 'dlq inspect'" -l spend-last-receive -d 'inspect even when the DLQ\'s own RedrivePolicy has maxReceiveCount 1 (every message looked at then moves on at its next receive)'

# dlq redrive: options
complete -c sqsctl -n "__sqsctl_at 'dlq redrive'" -l to -x -a '(__sqsctl_queues)' -d 'target queue (default: each message\'s source queue, or the DLQ\'s only source)'
complete -c sqsctl -n "__sqsctl_at 'dlq redrive'" -l filter -x -d 'move only messages matching this JMESPath expression (manual engine)'
complete -c sqsctl -n "__sqsctl_at 'dlq redrive'" -l max -x -d 'move at most this many messages (manual engine)'
complete -c sqsctl -n "__sqsctl_at 'dlq redrive'" -l rate -x -d 'at most this many messages a second (native: 1-500)'
complete -c sqsctl -n "__sqsctl_at 'dlq redrive'" -l strategy -x -a 'auto native manual' -d 'native: SQS message move task; manual: receive/send/delete; auto: native when it can'
complete -c sqsctl -n "__sqsctl_at 'dlq redrive'" -l dry-run -d 'show the plan, the totals and the first 10 messages that would move; move nothing'
complete -c sqsctl -n "__sqsctl_at 'dlq redrive'" -s v -l verbose -d 'with --dry-run: list every message that would move'
complete -c sqsctl -n "__sqsctl_at 'dlq redrive'" -s y -l yes -d 'do not ask for confirmation (required when not on a terminal)'
complete -c sqsctl -n "__sqsctl_at 'dlq redrive'" -l journal -r -F -d 'journal file; re-run with the same file to resume (default: a new file in $XDG_STATE_HOME/sqsctl/journals, i.e. ~/.local/state/sqsctl/journals, or the unfinished one of an earlier run on this endpoint, account and DLQ)'
complete -c sqsctl -n "__sqsctl_at 'dlq redrive'" -l no-journal -d 'keep no journal file (a killed run cannot be resumed without duplicates)'
complete -c sqsctl -n "__sqsctl_at 'dlq redrive'" -l concurrency -x -d 'manual: receive/send/delete loops in parallel, 1-64 (default: adapts while moving, from 32 up to 64)'
complete -c sqsctl -n "__sqsctl_at 'dlq redrive'" -l hold -x -d 'manual: how long a received message stays hidden while it is moved (a killed run\'s messages come back after this)'

# browse: options
complete -c sqsctl -n "__sqsctl_at 'browse'" -l filter -x -d 'only list messages matching this JMESPath expression (see \'sqsctl help filters\')'
complete -c sqsctl -n "__sqsctl_at 'browse'" -l limit -x -d 'most messages to hold and list, 1-10000'
complete -c sqsctl -n "__sqsctl_at 'browse'" -l hold -x -d 'how long listed messages stay hidden between heartbeats, 3s-12h; each renewed once half of it is left'
complete -c sqsctl -n "__sqsctl_at 'browse'" -l scan -x -d 'most messages to read while looking for --filter matches (default: 1000, or --limit if larger)'

# watch: options
complete -c sqsctl -n "__sqsctl_at 'watch'" -l prefix -x -d 'only queues whose name starts with this'
complete -c sqsctl -n "__sqsctl_at 'watch'" -l interval -x -d 'time between refreshes, 1s-1h'
complete -c sqsctl -n "__sqsctl_at 'watch'" -l count -x -d 'stop after N refreshes (default: until q, Ctrl-C or SIGTERM)'
complete -c sqsctl -n "__sqsctl_arg 'queues show' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'queues update' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'queues allow' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'queues deny' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'queues delete' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'purge' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'send' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'send-batch' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'send-batch' 1" -F
complete -c sqsctl -n "__sqsctl_arg 'receive' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'tail' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'export' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'import' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'import' 1" -F
complete -c sqsctl -n "__sqsctl_arg 'delete' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'visibility' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'dlq inspect' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'dlq redrive' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'dlq moves' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'browse' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'watch' 0+" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'completion' 0" -a 'bash zsh fish'
complete -c sqsctl -n "__sqsctl_arg 'help' 0+" -a 'filters output exit-codes redrive config local queues purge send send-batch receive tail export import delete visibility dlq browse watch completion'
