import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { Command, Option } from "commander";
import { afterEach, expect, test } from "vitest";
import { completionScript } from "../../src/completion/index.js";
import { HELP_TOPICS } from "../../src/help/topics.js";
import { buildProgram } from "../../src/program.js";
import { hasShell, scriptFile } from "../helpers/shell-complete.js";

// zsh completion cannot run outside an interactive line editor, so these tests type
// into a real zsh inside tmux and read the screen, as a person would see it.
const canRun = hasShell("zsh") && hasShell("tmux");
const sessions: string[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) {
    try {
      execFileSync("tmux", ["kill-session", "-t", s], { stdio: "ignore" });
    } catch {
      // already gone
    }
  }
});

const tmux = (...args: string[]) => execFileSync("tmux", args, { encoding: "utf8" });

async function zshWith(script: string) {
  const name = `sqsctl-zsh-${process.pid}-${sessions.length}`;
  sessions.push(name);
  const home = mkdtempSync(join(tmpdir(), "sqsctl-zsh-"));
  const file = scriptFile(script, "_sqsctl");
  tmux("new-session", "-d", "-s", name, "-x", "150", "-y", "30", `env -i HOME=${home} PATH=/usr/bin:/bin TERM=xterm PS1='%% ' zsh -f`);
  const screen = () => tmux("capture-pane", "-p", "-t", name);
  const waitFor = async (pred: (s: string) => boolean, what: string) => {
    for (let i = 0; i < 100; i++) {
      if (pred(screen())) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`zsh: timed out waiting for ${what}; screen:\n${screen()}`);
  };
  tmux("send-keys", "-t", name, `autoload -Uz compinit && compinit -u -D && source ${file} && print READY`, "Enter");
  await waitFor((s) => /^READY$/m.test(s), "the script to load");
  tmux("send-keys", "-t", name, "clear", "Enter");
  await waitFor((s) => !s.includes("READY"), "clear");
  return {
    /** Types `text`, presses Tab, and returns the screen once it settles. */
    async tab(text: string, expected: RegExp) {
      tmux("send-keys", "-t", name, "-l", text);
      tmux("send-keys", "-t", name, "Tab");
      await waitFor((s) => expected.test(s), `${JSON.stringify(text)} + Tab to show ${expected}`);
      return screen();
    },
    clearLine() {
      tmux("send-keys", "-t", name, "C-u");
    },
  };
}

function dlqProgram(): Command {
  const program = new Command("sqsctl");
  program.addOption(new Option("-o, --output <format>").choices(["table", "json", "ndjson"]));
  const dlq = program.command("dlq").description("dead-letter queue triage");
  dlq.command("list").description("DLQs and their sources");
  dlq.command("redrive").argument("<dlq>").addOption(new Option("--strategy <s>", "how").choices(["auto", "native", "manual"])).description("move back");
  return program;
}

test.skipIf(!canRun)("zsh: dl completes to dlq, dlq re to redrive, --strategy to its values", async () => {
  const z = await zshWith(completionScript("zsh", dlqProgram()));
  await z.tab("sqsctl dl", /^% sqsctl dlq$/m);
  await z.tab("re", /^% sqsctl dlq redrive$/m);
  const s = await z.tab("x --strategy ", /auto +manual +native/);
  expect(s).toMatch(/^% sqsctl dlq redrive x --strategy$/m);
});

test.skipIf(!canRun)("zsh: the real program's commands and flag values, with descriptions", async () => {
  const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
  const program = buildProgram({ io: io as never, signal: new AbortController().signal });
  const z = await zshWith(completionScript("zsh", program, Object.keys(HELP_TOPICS)));
  await z.tab("sqsctl qu", /^% sqsctl queues$/m);
  await z.tab("cr", /^% sqsctl queues create$/m);
  await z.tab("jobs -o ", /json +ndjson +table/);
  z.clearLine();
  const s = await z.tab("sqsctl queues create jobs --vis", /--visibility-timeout/);
  expect(s).toMatch(/^% sqsctl queues create jobs --visibility-timeout$/m);
  z.clearLine();
  await z.tab("sqsctl queues ", /list +-- list every queue with its message counts/);
});
