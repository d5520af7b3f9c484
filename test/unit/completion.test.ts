import { spawnSync } from "node:child_process";
import { PassThrough } from "node:stream";
import { Command, Option } from "commander";
import { describe, expect, test } from "vitest";
import { completionScript } from "../../src/completion/index.js";
import { specFromProgram } from "../../src/completion/spec.js";
import { HELP_TOPICS } from "../../src/help/topics.js";
import { buildProgram } from "../../src/program.js";
import { bashComplete, fishComplete, hasShell, scriptFile } from "../helpers/shell-complete.js";

const io = () => ({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} });
const realProgram = () => buildProgram({ io: io() as never, signal: new AbortController().signal });
const topics = Object.keys(HELP_TOPICS);

/** The dlq commands as the DLQ branch shapes them, built through the same generator. */
function dlqProgram(): Command {
  const program = new Command("sqsctl");
  program.option("--local").addOption(new Option("-o, --output <format>").choices(["table", "json", "ndjson"]));
  const dlq = program.command("dlq").description("dead-letter queue triage");
  dlq.command("list").description("DLQs and their sources");
  dlq.command("inspect").argument("<dlq>", "DLQ").option("--group-by <expr>", "JMESPath").description("inspect");
  dlq
    .command("redrive")
    .argument("<dlq>", "DLQ")
    .option("--to <queue>", "target")
    .addOption(new Option("--strategy <s>", "how").choices(["auto", "native", "manual"]).default("auto"))
    .option("-y, --yes", "no prompt")
    .description("move messages back");
  program.command("send").argument("<queue>").argument("[file]").description("send");
  program.command("secret", { hidden: true });
  return program;
}

describe("the tree read from Commander", () => {
  test("keeps aliases, choices and value kinds, and leaves hidden commands out", () => {
    const spec = specFromProgram(dlqProgram());
    expect(spec.subcommands.map((c) => c.name)).toEqual(["dlq", "send"]);
    const redrive = spec.subcommands[0]!.subcommands.find((c) => c.name === "redrive")!;
    expect(redrive.path).toBe("dlq redrive");
    expect(redrive.options.find((o) => o.names.includes("--strategy"))?.value).toEqual({ kind: "choices", choices: ["auto", "native", "manual"] });
    expect(redrive.options.find((o) => o.names.includes("--to"))?.value).toEqual({ kind: "queue" });
    expect(redrive.args[0]?.value).toEqual({ kind: "queue" });
    expect(spec.subcommands[1]!.args.map((a) => a.value.kind)).toEqual(["queue", "file"]);
  });

  test("the help command's argument completes to topics and commands", () => {
    const help = specFromProgram(realProgram(), topics).subcommands.find((c) => c.name === "help")!;
    expect(help.args[0]?.value).toMatchObject({ kind: "words", words: expect.arrayContaining(["exit-codes", "queues", "watch"]) });
  });
});

describe("bash", () => {
  const dlqScript = completionScript("bash", dlqProgram());
  const realScript = completionScript("bash", realProgram(), topics);

  test("scripts parse with bash -n", () => {
    for (const s of [dlqScript, realScript]) {
      const r = spawnSync("bash", ["-n", scriptFile(s)], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
    }
  });

  test("completes dl to dlq, dlq re to redrive, and the --strategy values", () => {
    expect(bashComplete(dlqScript, ["sqsctl", "dl"])).toEqual(["dlq"]);
    expect(bashComplete(dlqScript, ["sqsctl", "dlq", "re"])).toEqual(["redrive"]);
    expect(bashComplete(dlqScript, ["sqsctl", "dlq", "redrive", "orders-dlq", "--strategy", ""])).toEqual(["auto", "native", "manual"]);
    expect(bashComplete(dlqScript, ["sqsctl", "--local", "dlq", "redrive", "--strategy", "=", "n"])).toEqual(["native"]);
    expect(bashComplete(dlqScript, ["sqsctl", "dlq", "redrive", "--s"])).toEqual(["--strategy"]);
  });

  test("completes the real program's commands, subcommands and flag values", () => {
    expect(bashComplete(realScript, ["sqsctl", "qu"])).toEqual(["queues"]);
    expect(bashComplete(realScript, ["sqsctl", "queues", "cr"])).toEqual(["create"]);
    expect(bashComplete(realScript, ["sqsctl", "queue", "l"])).toEqual(["list"]);
    expect(bashComplete(realScript, ["sqsctl", "-o", ""])).toEqual(["table", "json", "ndjson"]);
    expect(bashComplete(realScript, ["sqsctl", "queues", "list", "--output", "="])).toEqual(["table", "json", "ndjson"]);
    expect(bashComplete(realScript, ["sqsctl", "completion", ""])).toEqual(["bash", "zsh", "fish"]);
    expect(bashComplete(realScript, ["sqsctl", "help", ""])).toEqual(expect.arrayContaining(["exit-codes", "queues"]));
    // Flags of the command typed, plus the global ones; a global flag's value is skipped.
    const flags = bashComplete(realScript, ["sqsctl", "--region", "eu-west-1", "queues", "create", "jobs", "--"]);
    expect(flags).toEqual(expect.arrayContaining(["--create-dlq", "--visibility-timeout", "--output", "--local"]));
    expect(flags).not.toContain("--seed");
    expect(bashComplete(realScript, ["sqsctl", "__comp"])).toEqual([]);
  });

  test("queue arguments complete from the hidden command, which can be switched off", () => {
    // GIVEN a stand-in sqsctl on PATH that answers __complete-queues
    const stub = scriptFile("#!/bin/sh\n[ \"$1\" = __complete-queues ] && printf 'orders\\norders-dlq\\npayments\\n'\n", "sqsctl");
    spawnSync("chmod", ["+x", stub]);
    const env = { PATH: `${stub.replace(/\/sqsctl$/, "")}:${process.env.PATH}` };
    expect(bashComplete(realScript, ["sqsctl", "queues", "show", "or"], env)).toEqual(["orders", "orders-dlq"]);
    expect(bashComplete(realScript, ["sqsctl", "queues", "create", "x", "--dlq", "pay"], env)).toEqual(["payments"]);
    expect(bashComplete(realScript, ["sqsctl", "queues", "show", "or"], { ...env, SQSCTL_COMPLETE_QUEUES: "0" })).toEqual([]);
  });
});

describe("zsh and fish", () => {
  test.skipIf(!hasShell("zsh"))("the zsh script parses with zsh -n", () => {
    const r = spawnSync("zsh", ["-n", scriptFile(completionScript("zsh", realProgram(), topics))], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
  });

  test.skipIf(!hasShell("fish"))("the fish script parses with fish --no-execute", () => {
    const r = spawnSync("fish", ["--no-execute", scriptFile(completionScript("fish", realProgram(), topics))], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
  });

  test.skipIf(!hasShell("fish"))("fish completes commands, subcommands and flag values", () => {
    const dlqScript = completionScript("fish", dlqProgram());
    expect(fishComplete(dlqScript, "sqsctl dl")).toEqual(["dlq"]);
    expect(fishComplete(dlqScript, "sqsctl dlq re")).toEqual(["redrive"]);
    expect(fishComplete(dlqScript, "sqsctl dlq redrive q --strategy ").sort()).toEqual(["auto", "manual", "native"]);
    const real = completionScript("fish", realProgram(), topics);
    expect(fishComplete(real, "sqsctl qu")).toEqual(["queues"]);
    expect(fishComplete(real, "sqsctl queues cr")).toEqual(["create"]);
    expect(fishComplete(real, "sqsctl -o ").sort()).toEqual(["json", "ndjson", "table"]);
  });

  test.skipIf(!hasShell("fish"))("fish completes queue names from the hidden command, with the words typed", () => {
    // GIVEN a stand-in sqsctl that echoes its arguments as one more "queue"
    const stub = scriptFile('#!/bin/sh\n[ "$1" = __complete-queues ] && printf \'orders\\norders-dlq\\n\' && shift && echo "args:$*"\n', "sqsctl");
    spawnSync("chmod", ["+x", stub]);
    const env = { PATH: `${stub.replace(/\/sqsctl$/, "")}:${process.env.PATH}` };
    const real = completionScript("fish", realProgram(), topics);
    expect(fishComplete(real, "sqsctl --local queues show ord", env).sort()).toEqual(["orders", "orders-dlq"]);
    expect(fishComplete(real, "sqsctl --local queues show a", env)).toEqual(["args:-- --local queues show"]);
  });
});
