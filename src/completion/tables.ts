import { allCommands, globalOptions, type CommandSpec, type OptionSpec, type ValueKind } from "./spec.js";

/**
 * The lookup tables every shell script is generated from. Each shell walks the words
 * typed so far with the same rules: a word naming a subcommand of the current path
 * moves down the tree (aliases included); an option that takes a value swallows the
 * next word; anything else is a positional argument.
 */
export interface Tables {
  /** "path|word" -> canonical child path, aliases included */
  sub: Array<{ path: string; words: string[]; to: string }>;
  /** path -> visible subcommands */
  commands: Array<{ path: string; items: Array<{ name: string; description: string }> }>;
  /** path -> the command's own options (globals are separate) */
  options: Array<{ path: string; items: OptionSpec[] }>;
  globals: OptionSpec[];
  /** Only at the root. */
  rootOnly: OptionSpec[];
  /** path -> positional argument kinds; the last repeats when variadic */
  args: Array<{ path: string; kinds: ValueKind[]; variadic: boolean }>;
}

export function buildTables(root: CommandSpec): Tables {
  const cmds = allCommands(root);
  const globals = globalOptions(root);
  const globalNames = new Set(globals.flatMap((o) => o.names));
  return {
    sub: cmds.flatMap((c) => c.subcommands.map((s) => ({ path: c.path, words: [s.name, ...s.aliases], to: s.path }))),
    commands: cmds
      .filter((c) => c.subcommands.length > 0)
      .map((c) => ({ path: c.path, items: c.subcommands.map((s) => ({ name: s.name, description: s.description })) })),
    options: cmds
      .filter((c) => c !== root)
      .map((c) => ({ path: c.path, items: c.options.filter((o) => !o.names.some((n) => globalNames.has(n))) })),
    globals,
    rootOnly: root.options.filter((o) => !globals.includes(o)),
    args: cmds.filter((c) => c.args.length > 0).map((c) => ({ path: c.path, kinds: c.args.map((a) => a.value), variadic: c.args.at(-1)!.variadic })),
  };
}

/** A value kind as one shell word: none | queue | file | choices=a,b | words=a,b */
export function encodeKind(v: ValueKind | undefined): string {
  if (!v) return "flag";
  switch (v.kind) {
    case "choices":
      return `choices=${v.choices.join(",")}`;
    case "words":
      return `words=${v.words.join(",")}`;
    default:
      return v.kind;
  }
}

/** Option names that take a value, per path ("*" for globals), with their encoded kind. */
export function valueOptions(t: Tables): Array<{ path: string | "*"; name: string; kind: string }> {
  const out: Array<{ path: string | "*"; name: string; kind: string }> = [];
  for (const o of t.globals) if (o.value) for (const n of o.names) out.push({ path: "*", name: n, kind: encodeKind(o.value) });
  for (const { path, items } of t.options) {
    for (const o of items) if (o.value) for (const n of o.names) out.push({ path, name: n, kind: encodeKind(o.value) });
  }
  return out;
}

export const HEADER_NOTE = "Generated from the command tree by `sqsctl completion`; do not edit by hand (run `npm run completions`).";
