# bash completion for sqsctl.
# Generated from the command tree by `sqsctl completion`; do not edit by hand (run `npm run completions`).
# Install: sqsctl completion bash > ~/.local/share/bash-completion/completions/sqsctl
#      or: echo 'source <(sqsctl completion bash)' >> ~/.bashrc
# Queue names complete from a cache (~/.cache/sqsctl, 60 s); SQSCTL_COMPLETE_QUEUES=0 turns that off.

_sqsctl_sub() {
  case "$1|$2" in
    '|local') _sqsctl_r='local' ;;
    '|queues'|'|queue') _sqsctl_r='queues' ;;
    '|purge') _sqsctl_r='purge' ;;
    '|send') _sqsctl_r='send' ;;
    '|send-batch'|'|bulk-send') _sqsctl_r='send-batch' ;;
    '|receive') _sqsctl_r='receive' ;;
    '|tail') _sqsctl_r='tail' ;;
    '|export') _sqsctl_r='export' ;;
    '|import') _sqsctl_r='import' ;;
    '|dlq') _sqsctl_r='dlq' ;;
    '|browse'|'|interactive') _sqsctl_r='browse' ;;
    '|watch') _sqsctl_r='watch' ;;
    '|completion') _sqsctl_r='completion' ;;
    '|help') _sqsctl_r='help' ;;
    'queues|list'|'queues|ls') _sqsctl_r='queues list' ;;
    'queues|show') _sqsctl_r='queues show' ;;
    'queues|create') _sqsctl_r='queues create' ;;
    'queues|delete'|'queues|rm') _sqsctl_r='queues delete' ;;
    'dlq|list'|'dlq|ls') _sqsctl_r='dlq list' ;;
    'dlq|inspect') _sqsctl_r='dlq inspect' ;;
    'dlq|redrive') _sqsctl_r='dlq redrive' ;;
    'dlq|moves') _sqsctl_r='dlq moves' ;;
    'dlq|cancel') _sqsctl_r='dlq cancel' ;;
    *) _sqsctl_r="" ; return 1 ;;
  esac
}

_sqsctl_cmds() {
  case "$1" in
    '') _sqsctl_r='local queues purge send send-batch receive tail export import dlq browse watch completion help' ;;
    'queues') _sqsctl_r='list show create delete' ;;
    'dlq') _sqsctl_r='list inspect redrive moves cancel' ;;
    *) _sqsctl_r="" ;;
  esac
}

_sqsctl_opts() {
  case "$1" in
    "") _sqsctl_r='--region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help -V --version' ;;
    'local') _sqsctl_r='--port --host --data-dir --seed --region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'queues') _sqsctl_r='--region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'queues list') _sqsctl_r='--prefix --region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'queues show') _sqsctl_r='--region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'queues create') _sqsctl_r='--fifo --content-based-dedup --dlq --create-dlq --max-receive --visibility-timeout --retention --delay --max-message-size --wait --sse --kms-key --tag --attribute --region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'queues delete') _sqsctl_r='-y --yes --region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'purge') _sqsctl_r='-y --yes --region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'send') _sqsctl_r='--file --attr --delay --group-id --dedup-id --region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'send-batch') _sqsctl_r='--raw --concurrency --rate --group-id --failed-file --dry-run --journal --no-journal --resume --restart --region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'receive') _sqsctl_r='--max --wait --visibility-timeout --delete --peek --region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'tail') _sqsctl_r='--delete --max --until-empty --filter --wait --region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'export') _sqsctl_r='--file --max --delete --append --wait --concurrency --region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'import') _sqsctl_r='--concurrency --rate --group-id --failed-file --dry-run --journal --no-journal --resume --restart --region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'dlq') _sqsctl_r='--region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'dlq list') _sqsctl_r='--region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'dlq inspect') _sqsctl_r='--limit --all --filter --group-by --save --hold --spend-last-receive --region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'dlq redrive') _sqsctl_r='--to --filter --max --rate --strategy --dry-run -y --yes --journal --no-journal --concurrency --hold --region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'dlq moves') _sqsctl_r='--region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'dlq cancel') _sqsctl_r='--region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'browse') _sqsctl_r='--filter --limit --hold --scan --region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'watch') _sqsctl_r='--prefix --interval --count --region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'completion') _sqsctl_r='--region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    'help') _sqsctl_r='--region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
    *) _sqsctl_r='--region --profile --endpoint-url --local -o --output --no-color -q --quiet --debug -h --help' ;;
  esac
}

_sqsctl_optval() {
  case "$1|$2" in
    *'|--region') _sqsctl_r='none' ;;
    *'|--profile') _sqsctl_r='none' ;;
    *'|--endpoint-url') _sqsctl_r='none' ;;
    *'|-o') _sqsctl_r='choices=table,json,ndjson' ;;
    *'|--output') _sqsctl_r='choices=table,json,ndjson' ;;
    'local|--port') _sqsctl_r='none' ;;
    'local|--host') _sqsctl_r='none' ;;
    'local|--data-dir') _sqsctl_r='file' ;;
    'local|--seed') _sqsctl_r='none' ;;
    'queues list|--prefix') _sqsctl_r='none' ;;
    'queues create|--dlq') _sqsctl_r='queue' ;;
    'queues create|--max-receive') _sqsctl_r='none' ;;
    'queues create|--visibility-timeout') _sqsctl_r='none' ;;
    'queues create|--retention') _sqsctl_r='none' ;;
    'queues create|--delay') _sqsctl_r='none' ;;
    'queues create|--max-message-size') _sqsctl_r='none' ;;
    'queues create|--wait') _sqsctl_r='none' ;;
    'queues create|--kms-key') _sqsctl_r='none' ;;
    'queues create|--tag') _sqsctl_r='none' ;;
    'queues create|--attribute') _sqsctl_r='none' ;;
    'send|--file') _sqsctl_r='file' ;;
    'send|--attr') _sqsctl_r='none' ;;
    'send|--delay') _sqsctl_r='none' ;;
    'send|--group-id') _sqsctl_r='none' ;;
    'send|--dedup-id') _sqsctl_r='none' ;;
    'send-batch|--concurrency') _sqsctl_r='none' ;;
    'send-batch|--rate') _sqsctl_r='none' ;;
    'send-batch|--group-id') _sqsctl_r='none' ;;
    'send-batch|--failed-file') _sqsctl_r='file' ;;
    'send-batch|--journal') _sqsctl_r='file' ;;
    'receive|--max') _sqsctl_r='none' ;;
    'receive|--wait') _sqsctl_r='none' ;;
    'receive|--visibility-timeout') _sqsctl_r='none' ;;
    'tail|--max') _sqsctl_r='none' ;;
    'tail|--filter') _sqsctl_r='none' ;;
    'tail|--wait') _sqsctl_r='none' ;;
    'export|--file') _sqsctl_r='file' ;;
    'export|--max') _sqsctl_r='none' ;;
    'export|--wait') _sqsctl_r='none' ;;
    'export|--concurrency') _sqsctl_r='none' ;;
    'import|--concurrency') _sqsctl_r='none' ;;
    'import|--rate') _sqsctl_r='none' ;;
    'import|--group-id') _sqsctl_r='none' ;;
    'import|--failed-file') _sqsctl_r='file' ;;
    'import|--journal') _sqsctl_r='file' ;;
    'dlq inspect|--limit') _sqsctl_r='none' ;;
    'dlq inspect|--filter') _sqsctl_r='none' ;;
    'dlq inspect|--group-by') _sqsctl_r='none' ;;
    'dlq inspect|--save') _sqsctl_r='file' ;;
    'dlq inspect|--hold') _sqsctl_r='none' ;;
    'dlq redrive|--to') _sqsctl_r='queue' ;;
    'dlq redrive|--filter') _sqsctl_r='none' ;;
    'dlq redrive|--max') _sqsctl_r='none' ;;
    'dlq redrive|--rate') _sqsctl_r='none' ;;
    'dlq redrive|--strategy') _sqsctl_r='choices=auto,native,manual' ;;
    'dlq redrive|--journal') _sqsctl_r='file' ;;
    'dlq redrive|--concurrency') _sqsctl_r='none' ;;
    'dlq redrive|--hold') _sqsctl_r='none' ;;
    'browse|--filter') _sqsctl_r='none' ;;
    'browse|--limit') _sqsctl_r='none' ;;
    'browse|--hold') _sqsctl_r='none' ;;
    'browse|--scan') _sqsctl_r='none' ;;
    'watch|--prefix') _sqsctl_r='none' ;;
    'watch|--interval') _sqsctl_r='none' ;;
    'watch|--count') _sqsctl_r='none' ;;
    *) _sqsctl_r="" ; return 1 ;;
  esac
}

_sqsctl_args() {
  case "$1" in
    'queues show') _sqsctl_r='queue' ;;
    'queues create') _sqsctl_r='none' ;;
    'queues delete') _sqsctl_r='queue' ;;
    'purge') _sqsctl_r='queue' ;;
    'send') _sqsctl_r='queue none' ;;
    'send-batch') _sqsctl_r='queue file' ;;
    'receive') _sqsctl_r='queue' ;;
    'tail') _sqsctl_r='queue' ;;
    'export') _sqsctl_r='queue' ;;
    'import') _sqsctl_r='queue file' ;;
    'dlq inspect') _sqsctl_r='queue' ;;
    'dlq redrive') _sqsctl_r='queue' ;;
    'dlq moves') _sqsctl_r='queue' ;;
    'dlq cancel') _sqsctl_r='none' ;;
    'browse') _sqsctl_r='queue' ;;
    'watch') _sqsctl_r='queue+' ;;
    'completion') _sqsctl_r='choices=bash,zsh,fish' ;;
    'help') _sqsctl_r='words=filters,exit-codes,redrive,local,queues,purge,send,send-batch,receive,tail,export,import,dlq,browse,watch,completion+' ;;
    *) _sqsctl_r="" ;;
  esac
}

# Completes one value of kind $1 (none | queue | file | choices=a,b | words=a,b) for prefix $2.
_sqsctl_value() {
  local kind=$1 cur=$2
  case "$kind" in
    choices=*|words=*) kind=${kind#*=}; COMPREPLY=($(compgen -W "${kind//,/ }" -- "$cur")) ;;
    file) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
    queue)
      [[ ${SQSCTL_COMPLETE_QUEUES:-1} == 0 ]] && return
      local queues
      queues=$("${COMP_WORDS[0]}" __complete-queues -- "${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null </dev/null)
      COMPREPLY=($(compgen -W "$queues" -- "$cur")) ;;
  esac
}

_sqsctl() {
  local cur=${COMP_WORDS[COMP_CWORD]} cpath="" w i n=0 _sqsctl_r
  local -a kinds
  COMPREPLY=()
  # --output=js arrives as three words (--output, =, js) because = breaks words in bash.
  local end=$COMP_CWORD vopt=""
  if [[ $cur == "=" ]]; then cur=""; vopt=${COMP_WORDS[COMP_CWORD-1]}; end=$((COMP_CWORD-1));
  elif [[ ${COMP_WORDS[COMP_CWORD-1]} == "=" ]] && ((COMP_CWORD > 1)); then vopt=${COMP_WORDS[COMP_CWORD-2]}; end=$((COMP_CWORD-2)); fi
  for ((i = 1; i < end; i++)); do
    w=${COMP_WORDS[i]}
    case "$w" in
      --) break ;;
      -*)
        if _sqsctl_optval "$cpath" "$w"; then
          if [[ ${COMP_WORDS[i+1]} == "=" ]]; then ((i += 2)); else ((i += 1)); fi
          ((i >= end)) && vopt=$w
        fi ;;
      *)
        if ((n == 0)) && _sqsctl_sub "$cpath" "$w"; then cpath=$_sqsctl_r; else ((n += 1)); fi ;;
    esac
  done
  if [[ -n $vopt ]]; then
    _sqsctl_optval "$cpath" "$vopt" && _sqsctl_value "$_sqsctl_r" "$cur"
    return 0
  fi
  if [[ $cur == -* ]]; then
    _sqsctl_opts "$cpath"
    COMPREPLY=($(compgen -W "$_sqsctl_r" -- "$cur"))
    return 0
  fi
  _sqsctl_cmds "$cpath"
  if [[ -n $_sqsctl_r ]]; then
    COMPREPLY=($(compgen -W "$_sqsctl_r" -- "$cur"))
    return 0
  fi
  _sqsctl_args "$cpath"
  read -ra kinds <<< "$_sqsctl_r"
  ((${#kinds[@]} == 0)) && return 0
  local last=$((${#kinds[@]} - 1)) kind
  if ((n <= last)); then kind=${kinds[n]}
  elif [[ ${kinds[last]} == *+ ]]; then kind=${kinds[last]}
  else return 0; fi
  _sqsctl_value "${kind%+}" "$cur"
  return 0
}

complete -F _sqsctl sqsctl
