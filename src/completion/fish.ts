import { buildTables, HEADER_NOTE, valueOptions } from "./tables.js";
import type { CommandSpec, OptionSpec, ValueKind } from "./spec.js";

const q = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** The fish completion script: `complete` lines guarded by a generated path walker. */
export function fishScript(root: CommandSpec, bin = "sqsctl"): string {
  const t = buildTables(root);
  const fn = `__${bin.replace(/[^A-Za-z0-9_]/g, "_")}`;
  const L: string[] = [];
  L.push(
    `# fish completion for ${bin}.`,
    `# ${HEADER_NOTE}`,
    `# Install: ${bin} completion fish > ~/.config/fish/completions/${bin}.fish`,
    `# Queue names complete from a cache (~/.local/state/sqsctl/completion, 60 s); SQSCTL_COMPLETE_QUEUES=0 turns that off.`,
    "",
  );

  L.push(`function ${fn}_sub --argument-names p w`, `    switch "$p|$w"`);
  for (const s of t.sub) L.push(`        case ${s.words.map((w) => q(`${s.path}|${w}`)).join(" ")}`, `            echo ${q(s.to)}`);
  L.push(`        case '*'`, `            return 1`, `    end`, `end`, "");

  L.push(`function ${fn}_optval --argument-names p o`, `    switch "$p|$o"`);
  for (const v of valueOptions(t)) {
    L.push(`        case ${v.path === "*" ? q(`*|${v.name}`) : q(`${v.path}|${v.name}`)}`, `            echo ${q(v.kind)}`);
  }
  L.push(`        case '*'`, `            return 1`, `    end`, `end`, "");

  L.push(
    `# Prints "PATH|N": the command path typed so far and how many positional arguments follow it.`,
    `function ${fn}_where`,
    `    set -l toks (commandline -opc)`,
    `    set -l p ''`,
    `    set -l n 0`,
    `    set -l skip 0`,
    `    set -l next`,
    `    for w in $toks[2..-1]`,
    `        if test $skip = 1`,
    `            set skip 0`,
    `            continue`,
    `        end`,
    `        switch $w`,
    `            case '--*=*'`,
    `                continue`,
    `            case '-*'`,
    `                ${fn}_optval "$p" $w >/dev/null; and set skip 1`,
    `                continue`,
    `        end`,
    `        if test $n = 0; and set next (${fn}_sub "$p" $w)`,
    `            set p $next`,
    `        else`,
    `            set n (math $n + 1)`,
    `        end`,
    `    end`,
    `    echo "$p|$n"`,
    `end`,
    "",
    `function ${fn}_at --argument-names want`,
    `    set -l here (${fn}_where)`,
    `    string match -q -- "$want|*" $here`,
    `end`,
    "",
    `# True at positional argument INDEX of PATH (INDEX+ matches it and every later one).`,
    `function ${fn}_arg --argument-names want index`,
    `    set -l here (string split '|' -- (${fn}_where))`,
    `    test "$here[1]" = "$want"; or return 1`,
    `    if string match -q '*+' -- $index`,
    `        test $here[2] -ge (string trim -r -c + -- $index)`,
    `    else`,
    `        test $here[2] -eq $index`,
    `    end`,
    `end`,
    "",
    `function ${fn}_queues`,
    `    test "$SQSCTL_COMPLETE_QUEUES" = 0; and return`,
    `    set -l toks (commandline -opc)`,
    `    $toks[1] __complete-queues -- $toks[2..-1] 2>/dev/null </dev/null`,
    `end`,
    "",
    `complete -c ${bin} -f`,
  );

  const valueArgs = (v: ValueKind): string => {
    switch (v.kind) {
      case "choices":
        return `-x -a ${q(v.choices.join(" "))}`;
      case "words":
        return `-x -a ${q(v.words.join(" "))}`;
      case "queue":
        return `-x -a '(${fn}_queues)'`;
      case "file":
        return "-r -F";
      default:
        return "-x";
    }
  };
  const optLine = (o: OptionSpec, cond: string) => {
    const flags = o.names.map((n) => (n.startsWith("--") ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`)).join(" ");
    return `complete -c ${bin}${cond} ${flags}${o.value ? ` ${valueArgs(o.value)}` : ""} -d ${q(o.description)}`;
  };

  L.push("", "# options accepted everywhere");
  for (const o of t.globals) L.push(optLine(o, ""));
  for (const o of t.rootOnly) L.push(optLine(o, ` -n "${fn}_at ''"`));

  for (const c of t.commands) {
    L.push("", `# ${c.path || bin}: subcommands`);
    for (const i of c.items) L.push(`complete -c ${bin} -n "${fn}_at ${q(c.path)}" -a ${q(i.name)} -d ${q(i.description)}`);
  }
  for (const o of t.options) {
    if (o.items.length === 0) continue;
    L.push("", `# ${o.path}: options`);
    for (const opt of o.items) L.push(optLine(opt, ` -n "${fn}_at ${q(o.path)}"`));
  }
  for (const a of t.args) {
    a.kinds.forEach((k, i) => {
      if (k.kind === "none") return;
      const index = a.variadic && i === a.kinds.length - 1 ? `${i}+` : String(i);
      const vals = k.kind === "file" ? "-F" : valueArgs(k).replace(/^-x /, "");
      L.push(`complete -c ${bin} -n "${fn}_arg ${q(a.path)} ${index}" ${vals}`);
    });
  }
  L.push("");
  return L.join("\n");
}
