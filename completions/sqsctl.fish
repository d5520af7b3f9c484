# fish completion for sqsctl.
# Generated from the command tree by `sqsctl completion`; do not edit by hand (run `npm run completions`).
# Install: sqsctl completion fish > ~/.config/fish/completions/sqsctl.fish
# Queue names complete from a cache (~/.cache/sqsctl, 60 s); SQSCTL_COMPLETE_QUEUES=0 turns that off.

function __sqsctl_sub --argument-names p w
    switch "$p|$w"
        case '|local'
            echo 'local'
        case '|queues' '|queue'
            echo 'queues'
        case '|purge'
            echo 'purge'
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
        case 'queues|delete' 'queues|rm'
            echo 'queues delete'
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
complete -c sqsctl -l no-color -d 'no colour (also NO_COLOR, TERM=dumb, JSON output, or piped)'
complete -c sqsctl -s q -l quiet -d 'no progress or notes on stderr (errors and warnings still print)'
complete -c sqsctl -l debug -d 'log each SQS request and show stack traces (credentials are never printed)'
complete -c sqsctl -s h -l help -d 'show help'
complete -c sqsctl -n "__sqsctl_at ''" -s V -l version -d 'print the version'

# sqsctl: subcommands
complete -c sqsctl -n "__sqsctl_at ''" -a 'local' -d 'run an embedded SQS-compatible server (fauxqs) in the foreground, on 127.0.0.1 by default'
complete -c sqsctl -n "__sqsctl_at ''" -a 'queues' -d 'list, show, create and delete queues'
complete -c sqsctl -n "__sqsctl_at ''" -a 'purge' -d 'delete every message in a queue (asks you to type the queue name; --yes when not on a terminal)'
complete -c sqsctl -n "__sqsctl_at ''" -a 'watch' -d 'live view of queue depths: visible, in flight, delayed, DLQ depth, change per minute and a sparkline (NDJSON when piped)'
complete -c sqsctl -n "__sqsctl_at ''" -a 'completion' -d 'print a shell completion script (commands, flags, flag values and queue names)'
complete -c sqsctl -n "__sqsctl_at ''" -a 'help' -d 'show help for a command or a topic'

# queues: subcommands
complete -c sqsctl -n "__sqsctl_at 'queues'" -a 'list' -d 'list every queue with its message counts, DLQ and maxReceiveCount'
complete -c sqsctl -n "__sqsctl_at 'queues'" -a 'show' -d 'show all attributes of a queue in readable form, its tags, and the queues that use it as a DLQ'
complete -c sqsctl -n "__sqsctl_at 'queues'" -a 'create' -d 'create a queue, optionally with a dead-letter queue (idempotent: same settings succeed)'
complete -c sqsctl -n "__sqsctl_at 'queues'" -a 'delete' -d 'delete a queue and every message in it (asks first; --yes when not on a terminal)'

# local: options
complete -c sqsctl -n "__sqsctl_at 'local'" -l port -x -d 'port to listen on (0 picks a free one)'
complete -c sqsctl -n "__sqsctl_at 'local'" -l host -x -d 'interface to bind; anything but loopback exposes the server to your network'
complete -c sqsctl -n "__sqsctl_at 'local'" -l data-dir -r -F -d 'keep queues and messages in SQLite files here across restarts (default: in memory)'
complete -c sqsctl -n "__sqsctl_at 'local'" -l seed -x -d 'create a ready-made scene after start (demo: orders queue with a DLQ of failed messages)'

# queues list: options
complete -c sqsctl -n "__sqsctl_at 'queues list'" -l prefix -x -d 'only queues whose name starts with this'

# queues create: options
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l fifo -d 'create a FIFO queue'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l content-based-dedup -d 'FIFO: deduplicate on a hash of the body'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l dlq -x -a '(__sqsctl_queues)' -d 'existing queue (name, URL or ARN) to use as the dead-letter queue'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l create-dlq -d 'also create NAME-dlq (14-day retention) and use it as the dead-letter queue'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l max-receive -x -d 'receives before a message moves to the DLQ, 1-1000 (default: 5)'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l visibility-timeout -x -d 'visibility timeout, 0s-12h (SQS default 30s)'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l retention -x -d 'message retention, 1m-14d (SQS default 4d)'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l delay -x -d 'delivery delay, 0s-15m (SQS default 0s)'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l max-message-size -x -d 'largest message in bytes, 1024-1048576, or 256KiB / 1MiB'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l wait -x -d 'receive wait time (long polling), 0s-20s'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l sse -d 'server-side encryption with SQS-managed keys (SSE-SQS)'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l kms-key -x -d 'server-side encryption with this KMS key (SSE-KMS)'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l tag -x -d 'tag the queue (repeatable)'
complete -c sqsctl -n "__sqsctl_at 'queues create'" -l attribute -x -d 'set any other SQS attribute (repeatable)'

# queues delete: options
complete -c sqsctl -n "__sqsctl_at 'queues delete'" -s y -l yes -d 'do not ask for confirmation'

# purge: options
complete -c sqsctl -n "__sqsctl_at 'purge'" -s y -l yes -d 'do not ask for confirmation'

# watch: options
complete -c sqsctl -n "__sqsctl_at 'watch'" -l prefix -x -d 'only queues whose name starts with this'
complete -c sqsctl -n "__sqsctl_at 'watch'" -l interval -x -d 'time between refreshes, 1s-1h'
complete -c sqsctl -n "__sqsctl_at 'watch'" -l count -x -d 'stop after N refreshes (default: until q, Ctrl-C or SIGTERM)'
complete -c sqsctl -n "__sqsctl_arg 'queues show' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'queues delete' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'purge' 0" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'watch' 0+" -a '(__sqsctl_queues)'
complete -c sqsctl -n "__sqsctl_arg 'completion' 0" -a 'bash zsh fish'
complete -c sqsctl -n "__sqsctl_arg 'help' 0+" -a 'filters exit-codes local queues purge watch completion'
