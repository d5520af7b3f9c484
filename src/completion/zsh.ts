import { buildTables, encodeKind, HEADER_NOTE, valueOptions } from "./tables.js";
import type { CommandSpec, OptionSpec } from "./spec.js";

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** _describe splits "name:description" at the first unescaped colon. */
const item = (name: string, description: string) => q(`${name.replace(/:/g, "\\:")}:${description}`);

/** The zsh completion script (#compdef file; also works when sourced after compinit). */
export function zshScript(root: CommandSpec, bin = "sqsctl"): string {
  const t = buildTables(root);
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, "_")}`;
  const L: string[] = [];
  L.push(
    `#compdef ${bin}`,
    `# zsh completion for ${bin}.`,
    `# ${HEADER_NOTE}`,
    `# Install: ${bin} completion zsh > "\${fpath[1]}/_${bin}"   (then restart zsh)`,
    `#      or: echo 'source <(${bin} completion zsh)' >> ~/.zshrc   (after compinit)`,
    `# Queue names complete from a cache (~/.local/state/sqsctl/completion, 60 s); SQSCTL_COMPLETE_QUEUES=0 turns that off.`,
    "",
  );

  L.push(`${fn}_sub() {`, `  case "$1|$2" in`);
  for (const s of t.sub) L.push(`    ${s.words.map((w) => q(`${s.path}|${w}`)).join("|")}) REPLY=${q(s.to)} ;;`);
  L.push(`    *) REPLY="" ; return 1 ;;`, "  esac", "}", "");

  L.push(`${fn}_cmds() {`, `  case "$1" in`);
  for (const c of t.commands) L.push(`    ${q(c.path)}) reply=(${c.items.map((i) => item(i.name, i.description)).join(" ")}) ;;`);
  L.push(`    *) reply=() ;;`, "  esac", "}", "");

  const items = (opts: OptionSpec[]) => opts.flatMap((o) => o.names.map((n) => item(n, o.description))).join(" ");
  L.push(`${fn}_opts() {`, `  case "$1" in`);
  L.push(`    "") reply=(${items([...t.globals, ...t.rootOnly])}) ;;`);
  for (const o of t.options) L.push(`    ${q(o.path)}) reply=(${items([...o.items, ...t.globals])}) ;;`);
  L.push(`    *) reply=(${items(t.globals)}) ;;`, "  esac", "}", "");

  L.push(`${fn}_optval() {`, `  case "$1|$2" in`);
  for (const v of valueOptions(t)) L.push(`    ${v.path === "*" ? `*${q(`|${v.name}`)}` : q(`${v.path}|${v.name}`)}) REPLY=${q(v.kind)} ;;`);
  L.push(`    *) REPLY="" ; return 1 ;;`, "  esac", "}", "");

  L.push(`${fn}_args() {`, `  case "$1" in`);
  for (const a of t.args) L.push(`    ${q(a.path)}) reply=(${a.kinds.map((k) => q(encodeKind(k))).join(" ")}); REPLY=${a.variadic ? "variadic" : '""'} ;;`);
  L.push(`    *) reply=() ;;`, "  esac", "}", "");

  L.push(
    `${fn}_value() {`,
    `  local kind=$1`,
    `  local -a vals`,
    `  case $kind in`,
    `    choices=*|words=*) vals=(\${(s:,:)kind#*=}); compadd -a vals ;;`,
    `    file) _files ;;`,
    `    queue)`,
    `      [[ \${SQSCTL_COMPLETE_QUEUES:-1} == 0 ]] && return 1`,
    `      vals=(\${(f)"$(\${words[1]} __complete-queues -- \${words[2,CURRENT-1]} 2>/dev/null </dev/null)"})`,
    `      compadd -a vals ;;`,
    `    *) return 1 ;;`,
    `  esac`,
    `}`,
    "",
    `${fn}() {`,
    `  local cur=\${words[CURRENT]} cpath="" w vopt="" REPLY`,
    `  local -a reply kinds`,
    `  integer i n=0`,
    `  for (( i = 2; i < CURRENT; i++ )); do`,
    `    w=\${words[i]}`,
    `    case $w in`,
    `      --) break ;;`,
    `      --*=*) ;;`,
    `      -*) if ${fn}_optval "$cpath" "$w"; then (( i++ )); (( i >= CURRENT )) && vopt=$w; fi ;;`,
    `      *) if (( n == 0 )) && ${fn}_sub "$cpath" "$w"; then cpath=$REPLY; else (( n++ )); fi ;;`,
    `    esac`,
    `  done`,
    `  if [[ -n $vopt ]]; then`,
    `    ${fn}_optval "$cpath" "$vopt" && ${fn}_value "$REPLY"`,
    `    return`,
    `  fi`,
    `  if [[ $cur == -*=* ]]; then`,
    `    ${fn}_optval "$cpath" "\${cur%%=*}" || return 1`,
    `    local kind=$REPLY`,
    `    compset -P '*='`,
    `    ${fn}_value "$kind"`,
    `    return`,
    `  fi`,
    `  if [[ $cur == -* ]]; then`,
    `    ${fn}_opts "$cpath"`,
    `    _describe -t options option reply`,
    `    return`,
    `  fi`,
    `  ${fn}_cmds "$cpath"`,
    `  if (( \${#reply} )); then`,
    `    _describe -t commands command reply`,
    `    return`,
    `  fi`,
    `  ${fn}_args "$cpath"`,
    `  kinds=("\${reply[@]}")`,
    `  (( \${#kinds} )) || return 1`,
    `  if (( n < \${#kinds} )); then ${fn}_value "\${kinds[n+1]}"`,
    `  elif [[ $REPLY == variadic ]]; then ${fn}_value "\${kinds[-1]}"`,
    `  else return 1; fi`,
    `}`,
    "",
    `if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then`,
    `  ${fn} "$@"`,
    `else`,
    `  compdef ${fn} ${bin}`,
    `fi`,
    "",
  );
  return L.join("\n");
}
