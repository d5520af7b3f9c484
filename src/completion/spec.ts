import { Help, type Argument, type Command, type Option } from "commander";

/**
 * A shell-neutral description of the command tree, read from Commander itself so the
 * completion scripts can never list a command or flag the CLI does not have.
 * Pure: no I/O.
 */

/** What a value (an option's or a positional argument's) completes to. */
export type ValueKind =
  | { kind: "none" }
  | { kind: "choices"; choices: string[] }
  | { kind: "queue" }
  | { kind: "file" }
  /** `sqsctl help <topic|command>` */
  | { kind: "words"; words: string[] };

export interface OptionSpec {
  /** e.g. ["-o", "--output"]; --no-color style negations keep their own spelling. */
  names: string[];
  description: string;
  /** undefined for a boolean flag */
  value?: ValueKind;
}

export interface CommandSpec {
  name: string;
  aliases: string[];
  description: string;
  /** Space-separated canonical names from the root ("" for the root, "dlq redrive"). */
  path: string;
  options: OptionSpec[];
  args: Array<{ name: string; variadic: boolean; value: ValueKind }>;
  subcommands: CommandSpec[];
}

const QUEUE_WORD = /^(queues?|dlq|dlqs|source|target|from|to|dest|destination)$/i;
const FILE_WORD = /^(file|path|dir|directory|out|output-file|input)$/i;

/** A value placeholder (`<queue>`, `[file]`) or an argument name to the kind of value it takes. */
export function kindFor(placeholder: string, choices?: readonly string[]): ValueKind {
  if (choices && choices.length > 0) return { kind: "choices", choices: [...choices] };
  const word = placeholder.replace(/\.\.\.$/, "");
  if (QUEUE_WORD.test(word) || /-queue$/i.test(word)) return { kind: "queue" };
  if (FILE_WORD.test(word) || /-(file|dir)$/i.test(word)) return { kind: "file" };
  return { kind: "none" };
}

function optionSpec(o: Option): OptionSpec {
  const names = [o.short, o.long].filter((n): n is string => Boolean(n));
  const spec: OptionSpec = { names, description: firstLine(o.description) };
  if (o.required || o.optional) {
    const placeholder = /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1] ?? "";
    spec.value = kindFor(placeholder, o.argChoices);
  }
  return spec;
}

function argSpec(a: Argument) {
  return { name: a.name(), variadic: a.variadic, value: kindFor(a.name(), a.argChoices) };
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").trim();
}

/**
 * Walks the tree. Hidden commands and Commander's implicit `help` subcommands are left
 * out; the root's own `help` command completes to the help topics and the commands.
 */
export function specFromProgram(program: Command, helpTopics: readonly string[] = []): CommandSpec {
  const help = new Help();
  const walk = (cmd: Command, path: string): CommandSpec => {
    const subs = help.visibleCommands(cmd).filter((c) => cmd.commands.includes(c));
    const spec: CommandSpec = {
      name: cmd.name(),
      aliases: cmd.aliases(),
      description: firstLine(cmd.description()),
      path,
      options: help.visibleOptions(cmd).map(optionSpec),
      args: cmd.registeredArguments.map(argSpec),
      subcommands: subs.map((c) => walk(c, path ? `${path} ${c.name()}` : c.name())),
    };
    return spec;
  };
  const root = walk(program, "");
  const helpCmd = root.subcommands.find((c) => c.name === "help");
  if (helpCmd && helpCmd.args[0]) {
    const words = [...helpTopics, ...root.subcommands.map((c) => c.name).filter((n) => n !== "help")];
    helpCmd.args[0].value = { kind: "words", words };
  }
  return root;
}

/** Every command in the tree, root first. */
export function allCommands(root: CommandSpec): CommandSpec[] {
  const out: CommandSpec[] = [];
  const visit = (c: CommandSpec) => {
    out.push(c);
    c.subcommands.forEach(visit);
  };
  visit(root);
  return out;
}

/** The root's options: accepted before or after any subcommand. */
export function globalOptions(root: CommandSpec): OptionSpec[] {
  return root.options.filter((o) => !o.names.includes("-V"));
}
