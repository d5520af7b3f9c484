import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import type { Runtime } from "./cli/runtime.js";
import { registerQueueCommands } from "./cli/queues.js";
import { registerLocalCommand } from "./cli/local.js";
import { registerMessageCommands } from "./cli/messages.js";
import { registerMessageOpCommands } from "./cli/message-ops.js";
import { registerDlqCommands } from "./cli/dlq.js";
import { registerBrowseCommand } from "./cli/browse.js";
import { registerOperatorCommands } from "./cli/operator.js";
import { registerHelp } from "./cli/help.js";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

type Register = (program: Command, rt: Runtime) => void;

/** Every area, in the order its commands are listed in `sqsctl --help`. */
const AREAS: readonly Register[] = [
  registerLocalCommand,
  registerQueueCommands,
  registerMessageCommands,
  registerMessageOpCommands,
  registerDlqCommands,
  registerBrowseCommand,
  registerOperatorCommands,
];

/**
 * Which area registers each top-level command (names and aliases). A run whose command
 * word is here builds only that area of the tree; test/unit/program-areas.test.ts checks
 * this table against the full tree. `help` is not here: it needs the whole tree.
 */
export const AREA_OF: Readonly<Record<string, Register>> = {
  local: registerLocalCommand,
  queues: registerQueueCommands,
  queue: registerQueueCommands,
  purge: registerQueueCommands,
  send: registerMessageCommands,
  "send-batch": registerMessageCommands,
  "bulk-send": registerMessageCommands,
  import: registerMessageCommands,
  receive: registerMessageCommands,
  tail: registerMessageCommands,
  export: registerMessageCommands,
  delete: registerMessageOpCommands,
  visibility: registerMessageOpCommands,
  dlq: registerDlqCommands,
  browse: registerBrowseCommand,
  interactive: registerBrowseCommand,
  watch: registerOperatorCommands,
  completion: registerOperatorCommands,
  "__complete-queues": registerOperatorCommands,
};

/** Global options that take a value: the word after them is not the command. */
const VALUE_OPTIONS = new Set(["--region", "--profile", "--endpoint-url", "-o", "--output", "--query"]);

/**
 * The one area `argv` needs, or undefined for the whole tree: the first word that is not a
 * global option (or its value) names the command. An unknown word (a typo: Commander's
 * "did you mean" needs every name), `help`, or no command at all gets the whole tree.
 */
export function areaFor(argv: readonly string[]): Register | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === "--") return undefined;
    if (VALUE_OPTIONS.has(word)) {
      i += 1;
      continue;
    }
    if (word.startsWith("-")) continue;
    return Object.hasOwn(AREA_OF, word) ? AREA_OF[word] : undefined;
  }
  return undefined;
}

/**
 * The Commander tree. Global options are defined once here and accepted before or
 * after the subcommand. Each area registers its commands from src/cli/<area>.ts;
 * registration modules import nothing heavy. With `argv`, only the area that argv's
 * command lives in is built (start-up of a command, or of its --help on a terminal);
 * without it, the whole tree (docs, completions, `sqsctl completion`).
 */
export function buildProgram(rt: Runtime, argv?: readonly string[]): Command {
  const program = new Command("sqsctl");
  program
    .description("Amazon SQS queue operations and dead-letter-queue triage, with an embedded local SQS server.")
    .version(version(), "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .option("--region <region>", "AWS region (default: AWS_REGION or your profile's region)")
    .option("--profile <name>", "AWS profile from ~/.aws/config (default: AWS_PROFILE)")
    .option("--endpoint-url <url>", "SQS endpoint (default: AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL, or AWS's)")
    .option("--local", "use the embedded server at http://127.0.0.1:$SQSCTL_LOCAL_PORT (default 9324), region us-east-1")
    .addOption(new Option("-o, --output <format>", "output format (default: table on a terminal)").choices(["table", "json", "ndjson"]))
    .option("--query <expr>", "JMESPath applied to the JSON result, as in the AWS CLI (implies -o json; see 'sqsctl help output')")
    .option("--no-color", "no colour (also NO_COLOR, TERM=dumb, JSON output, or piped; FORCE_COLOR forces it)")
    .option("-q, --quiet", "no progress or notes on stderr (errors and warnings still print)")
    .option("--debug", "log each SQS request and show stack traces (credentials are never printed)")
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => rt.io.stdout.write(s),
      writeErr: (s) => rt.io.stderr.write(s),
      outputError: (s, write) => write(s.replace(/^error: /, "error: ")),
    })
    .exitOverride();

  const only = argv ? areaFor(argv) : undefined;
  for (const register of only ? [only] : AREAS) register(program, rt);
  registerHelp(program, rt);

  // Subcommands inherit output settings and exitOverride so usage errors map to exit 2.
  const configure = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.exitOverride().showSuggestionAfterError(true);
      sub.configureOutput({
        writeOut: (s) => rt.io.stdout.write(s),
        writeErr: (s) => rt.io.stderr.write(s),
      });
      configure(sub);
    }
  };
  configure(program);
  return program;
}
