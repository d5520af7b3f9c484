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

/**
 * The Commander tree. Global options are defined once here and accepted before or
 * after the subcommand. Each area registers its commands from src/cli/<area>.ts;
 * registration modules import nothing heavy.
 */
export function buildProgram(rt: Runtime): Command {
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

  registerLocalCommand(program, rt);
  registerQueueCommands(program, rt);
  registerMessageCommands(program, rt);
  registerMessageOpCommands(program, rt);
  registerDlqCommands(program, rt);
  registerBrowseCommand(program, rt);
  registerOperatorCommands(program, rt);
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
