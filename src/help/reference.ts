import { Help, type Command } from "commander";

/**
 * The command reference (docs/commands.md) rendered from the same --help text users
 * see, so the two can never drift. Pure: takes the program, returns Markdown;
 * `npm run docs` writes it and a test checks it is current. The README does not
 * repeat it: it links here.
 */

const WIDTH = 100;

interface Entry {
  path: string;
  description: string;
  help: string;
}

/** Every visible command, depth first, with its full --help (Examples included). */
function collect(program: Command, capture: { text: string }): Entry[] {
  const help = new Help();
  const entries: Entry[] = [];
  const visit = (cmd: Command, path: string) => {
    cmd.configureOutput({
      ...cmd.configureOutput(),
      writeOut: (s: string) => {
        capture.text += s;
      },
      getOutHelpWidth: () => WIDTH,
      getOutHasColors: () => false,
    });
    capture.text = "";
    cmd.outputHelp();
    entries.push({ path, description: cmd.description(), help: capture.text.replace(/[ \t]+$/gm, "").trimEnd() });
    for (const sub of help.visibleCommands(cmd).filter((c) => cmd.commands.includes(c))) visit(sub, `${path} ${sub.name()}`);
  };
  visit(program, program.name());
  return entries;
}

const anchor = (path: string) => path.replace(/\s+/g, "-").toLowerCase();

export const GENERATED_NOTE = "Generated from the CLI's own --help by `npm run docs`; do not edit by hand.";

/** docs/commands.md */
export function commandsMarkdown(program: Command, topics: Record<string, { summary: string; text: string }>): string {
  const entries = collect(program, { text: "" });
  const out: string[] = ["# sqsctl command reference", "", `<!-- ${GENERATED_NOTE} -->`, ""];
  out.push("| command | what it does |", "| --- | --- |");
  for (const e of entries.slice(1)) out.push(`| [\`${e.path}\`](#${anchor(e.path)}) | ${e.description.replace(/\|/g, "\\|")} |`);
  for (const [name, t] of Object.entries(topics)) out.push(`| [\`sqsctl help ${name}\`](#${anchor(`sqsctl help ${name}`)}) | ${t.summary} |`);
  for (const e of entries) out.push("", `## ${e.path}`, "", "```text", e.help, "```");
  for (const [name, t] of Object.entries(topics)) out.push("", `## sqsctl help ${name}`, "", "```text", t.text.trimEnd(), "```");
  return `${out.join("\n")}\n`;
}
