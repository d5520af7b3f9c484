import { buildTables, encodeKind, HEADER_NOTE, valueOptions } from "./tables.js";
import type { CommandSpec } from "./spec.js";

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The bash completion script: plain bash 4+, no bash-completion package needed. */
export function bashScript(root: CommandSpec, bin = "sqsctl"): string {
  const t = buildTables(root);
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, "_")}`;
  const L: string[] = [];
  L.push(
    `# bash completion for ${bin}.`,
    `# ${HEADER_NOTE}`,
    `# Install: ${bin} completion bash > ~/.local/share/bash-completion/completions/${bin}`,
    `#      or: echo 'source <(${bin} completion bash)' >> ~/.bashrc`,
    `# Queue names complete from a cache (~/.local/state/sqsctl/completion, 60 s); SQSCTL_COMPLETE_QUEUES=0 turns that off.`,
    "",
  );

  L.push(`${fn}_sub() {`, `  case "$1|$2" in`);
  for (const s of t.sub) L.push(`    ${s.words.map((w) => q(`${s.path}|${w}`)).join("|")}) ${fn}_r=${q(s.to)} ;;`);
  L.push(`    *) ${fn}_r="" ; return 1 ;;`, "  esac", "}", "");

  L.push(`${fn}_cmds() {`, `  case "$1" in`);
  for (const c of t.commands) L.push(`    ${q(c.path)}) ${fn}_r=${q(c.items.map((i) => i.name).join(" "))} ;;`);
  L.push(`    *) ${fn}_r="" ;;`, "  esac", "}", "");

  const names = (items: { names: string[] }[]) => items.flatMap((o) => o.names).join(" ");
  L.push(`${fn}_opts() {`, `  case "$1" in`);
  L.push(`    "") ${fn}_r=${q(names([...t.globals, ...t.rootOnly]))} ;;`);
  for (const o of t.options) L.push(`    ${q(o.path)}) ${fn}_r=${q(`${names(o.items)} ${names(t.globals)}`.trim())} ;;`);
  L.push(`    *) ${fn}_r=${q(names(t.globals))} ;;`, "  esac", "}", "");

  // Returns 1 for a flag (takes no value) so the walker knows not to skip a word.
  L.push(`${fn}_optval() {`, `  case "$1|$2" in`);
  for (const v of valueOptions(t)) L.push(`    ${v.path === "*" ? `*${q(`|${v.name}`)}` : q(`${v.path}|${v.name}`)}) ${fn}_r=${q(v.kind)} ;;`);
  L.push(`    *) ${fn}_r="" ; return 1 ;;`, "  esac", "}", "");

  L.push(`${fn}_args() {`, `  case "$1" in`);
  for (const a of t.args) L.push(`    ${q(a.path)}) ${fn}_r=${q(a.kinds.map(encodeKind).join(" ") + (a.variadic ? "+" : ""))} ;;`);
  L.push(`    *) ${fn}_r="" ;;`, "  esac", "}", "");

  L.push(
    `# Completes one value of kind $1 (none | queue | file | choices=a,b | words=a,b) for prefix $2.`,
    `${fn}_value() {`,
    `  local kind=$1 cur=$2`,
    `  case "$kind" in`,
    `    choices=*|words=*) kind=\${kind#*=}; COMPREPLY=($(compgen -W "\${kind//,/ }" -- "$cur")) ;;`,
    `    file) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;`,
    `    queue)`,
    `      [[ \${SQSCTL_COMPLETE_QUEUES:-1} == 0 ]] && return`,
    `      local queues`,
    `      queues=$("\${COMP_WORDS[0]}" __complete-queues -- "\${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null </dev/null)`,
    `      COMPREPLY=($(compgen -W "$queues" -- "$cur")) ;;`,
    `  esac`,
    `}`,
    "",
  );

  L.push(
    `${fn}() {`,
    `  local cur=\${COMP_WORDS[COMP_CWORD]} cpath="" w i n=0 ${fn}_r`,
    `  local -a kinds`,
    `  COMPREPLY=()`,
    `  # --output=js arrives as three words (--output, =, js) because = breaks words in bash.`,
    `  local end=$COMP_CWORD vopt=""`,
    `  if [[ $cur == "=" ]]; then cur=""; vopt=\${COMP_WORDS[COMP_CWORD-1]}; end=$((COMP_CWORD-1));`,
    `  elif [[ \${COMP_WORDS[COMP_CWORD-1]} == "=" ]] && ((COMP_CWORD > 1)); then vopt=\${COMP_WORDS[COMP_CWORD-2]}; end=$((COMP_CWORD-2)); fi`,
    `  for ((i = 1; i < end; i++)); do`,
    `    w=\${COMP_WORDS[i]}`,
    `    case "$w" in`,
    `      --) break ;;`,
    `      -*)`,
    `        if ${fn}_optval "$cpath" "$w"; then`,
    `          if [[ \${COMP_WORDS[i+1]} == "=" ]]; then ((i += 2)); else ((i += 1)); fi`,
    `          ((i >= end)) && vopt=$w`,
    `        fi ;;`,
    `      *)`,
    `        if ((n == 0)) && ${fn}_sub "$cpath" "$w"; then cpath=$${fn}_r; else ((n += 1)); fi ;;`,
    `    esac`,
    `  done`,
    `  if [[ -n $vopt ]]; then`,
    `    ${fn}_optval "$cpath" "$vopt" && ${fn}_value "$${fn}_r" "$cur"`,
    `    return 0`,
    `  fi`,
    `  if [[ $cur == -* ]]; then`,
    `    ${fn}_opts "$cpath"`,
    `    COMPREPLY=($(compgen -W "$${fn}_r" -- "$cur"))`,
    `    return 0`,
    `  fi`,
    `  ${fn}_cmds "$cpath"`,
    `  if [[ -n $${fn}_r ]]; then`,
    `    COMPREPLY=($(compgen -W "$${fn}_r" -- "$cur"))`,
    `    return 0`,
    `  fi`,
    `  ${fn}_args "$cpath"`,
    `  read -ra kinds <<< "$${fn}_r"`,
    `  ((\${#kinds[@]} == 0)) && return 0`,
    `  local last=$((\${#kinds[@]} - 1)) kind`,
    `  if ((n <= last)); then kind=\${kinds[n]}`,
    `  elif [[ \${kinds[last]} == *+ ]]; then kind=\${kinds[last]}`,
    `  else return 0; fi`,
    `  ${fn}_value "\${kind%+}" "$cur"`,
    `  return 0`,
    `}`,
    "",
    `complete -F ${fn} ${bin}`,
    "",
  );
  return L.join("\n");
}
