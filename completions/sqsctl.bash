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
    '|watch') _sqsctl_r='watch' ;;
    '|completion') _sqsctl_r='completion' ;;
    '|help') _sqsctl_r='help' ;;
    'queues|list'|'queues|ls') _sqsctl_r='queues list' ;;
    'queues|show') _sqsctl_r='queues show' ;;
    'queues|create') _sqsctl_r='queues create' ;;
    'queues|delete'|'queues|rm') _sqsctl_r='queues delete' ;;
    *) _sqsctl_r="" ; return 1 ;;
  esac
}

_sqsctl_cmds() {
  case "$1" in
    '') _sqsctl_r='local queues purge watch completion help' ;;
    'queues') _sqsctl_r='list show create delete' ;;
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
    'watch') _sqsctl_r='queue+' ;;
    'completion') _sqsctl_r='choices=bash,zsh,fish' ;;
    'help') _sqsctl_r='words=filters,exit-codes,local,queues,purge,watch,completion+' ;;
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
