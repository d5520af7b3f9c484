import { Help, type Command } from "commander";
import { STATE_DIR_HELP } from "../core/state-dir.js";
import { HELP_TOPICS } from "../help/topics.js";
import { UsageError } from "../errors.js";
import { examples } from "./util.js";
import type { Runtime } from "./runtime.js";

/** `sqsctl help [topic|command...]`: help topics as well as per-command help. */
export function registerHelp(program: Command, rt: Runtime): void {
  program.helpCommand(false);
  program.addHelpText(
    "after",
    `\nHelp topics:\n${Object.entries(HELP_TOPICS)
      .map(([name, t]) => `  sqsctl help ${name.padEnd(12)} ${t.summary}`)
      .join("\n")}\n\nState (journals, completion cache): ${STATE_DIR_HELP}\n\nExamples:\n  $ sqsctl local --seed demo            # start a local SQS with a demo DLQ\n  $ sqsctl --local dlq list\n  $ sqsctl --local dlq inspect orders-dlq --group-by json.errorType\n`,
  );
  program
    .command("help")
    .argument("[topic...]", `a command, or a topic: ${Object.keys(HELP_TOPICS).join(", ")}`)
    .description("show help for a command or a topic")
    .addHelpText("after", examples(["sqsctl help filters", "sqsctl help exit-codes", "sqsctl help dlq redrive        # same as: sqsctl dlq redrive --help"]))
    .action(async (words: string[]) => {
      if (words.length === 0) {
        program.outputHelp();
        return;
      }
      const topic = HELP_TOPICS[words.join(" ")];
      if (topic) {
        rt.io.stdout.write(topic.text);
        return;
      }
      let cmd: Command | undefined = program;
      for (const w of words) {
        cmd = cmd?.commands.find((c) => c.name() === w || c.aliases().includes(w));
      }
      if (!cmd) {
        throw new UsageError(
          `No command or help topic "${words.join(" ")}".`,
          `Topics: ${Object.keys(HELP_TOPICS).join(", ")}. Commands: ${new Help().visibleCommands(program).map((c) => c.name()).join(", ")}.`,
        );
      }
      cmd.outputHelp();
    });
}
