import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test, vi } from "vitest";
import { BIN } from "../helpers/cli.js";
import pty from "@lydell/node-pty";
import { buildProgram } from "../../src/program.js";

const TRACE = fileURLToPath(new URL("../helpers/trace-imports.mjs", import.meta.url));
const ROOT = resolve(dirname(BIN), "..");

/**
 * The CLI is bundled (scripts/build.mjs): the process loads dist/*.js chunks, not the
 * packages themselves. esbuild's metafile (build/esbuild-meta.json, written by the same
 * build) says which source modules each chunk holds, so a loaded chunk is expanded into
 * its inputs ("node_modules/@aws-sdk/client-sqs/dist-es/...", "src/program.ts").
 */
function inputsOf(files: string[]): string[] {
  const meta = JSON.parse(readFileSync(join(ROOT, "build/esbuild-meta.json"), "utf8")) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  return files.flatMap((f) => {
    if (!f.startsWith("file://")) return [f];
    const rel = relative(ROOT, fileURLToPath(f));
    const out = meta.outputs[rel];
    // bin/ and anything outside the bundle (an unbundled package) are reported as they are.
    return out ? Object.keys(out.inputs) : [rel];
  });
}

function loadedModules(args: string[]): { code: number | null; files: string[]; modules: string[]; stdout: string } {
  const file = join(mkdtempSync(join(tmpdir(), "sqsctl-trace-")), "imports.txt");
  const r = spawnSync(process.execPath, ["--import", TRACE, BIN, ...args], {
    env: { PATH: process.env.PATH, SQSCTL_TRACE_IMPORTS: file },
    encoding: "utf8",
  });
  let files: string[] = [];
  try {
    files = readFileSync(file, "utf8").trim().split("\n");
  } catch {
    files = [];
  }
  return { code: r.status, files, modules: inputsOf(files), stdout: r.stdout };
}

const HEAVY = [/@aws-sdk\//, /@smithy\//, /@inquirer\//, /\/ora\//, /cli-table3/];

describe("start-up stays lazy", () => {
  test.each([["--help"], ["--version"], ["queues", "--help"], ["help", "exit-codes"]])("sqsctl %s loads no SDK, inquirer or ora", (...args) => {
    const r = loadedModules(args);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
    // The trace itself must have worked, or this test proves nothing.
    expect(r.files.some((m) => m.endsWith("bin/sqsctl.js"))).toBe(true);
    for (const heavy of HEAVY) expect(r.modules.filter((m) => heavy.test(m))).toEqual([]);
  });

  test.each([["--help"], ["dlq", "redrive", "-h"], ["help", "queues", "create"], ["help", "filters"]])(
    "sqsctl %s into a pipe is answered from dist/help.json: no bundle file, no command tree",
    (...args) => {
      const r = loadedModules(args);
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(r.files.some((m) => m.endsWith("bin/sqsctl.js"))).toBe(true);
      expect(r.files.filter((f) => /\/dist\//.test(f))).toEqual([]);
    },
  );

  test("--help with a global option loads the command tree from the bundle (the metafile maps what it loads)", () => {
    const r = loadedModules(["--no-color", "--help"]);
    expect(r.modules).toContain("src/program.ts");
    for (const heavy of HEAVY) expect(r.modules.filter((m) => heavy.test(m))).toEqual([]);
    // Bundled: a handful of files, not the hundreds of modules an unbundled build loads.
    expect(new Set(r.files.filter((f) => f.startsWith("file://"))).size).toBeLessThan(12);
  });

  test("a real command reaches Node's built-ins as require() does: no ES namespace that loads undici, WebCrypto or zlib", () => {
    const r = loadedModules(["queues", "list", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"]);
    // scripts/build.mjs turns `import ... from "node:http"` into process.getBuiltinModule():
    // importing node:http as an ES module reads its lazy WebSocket export, which loads undici.
    expect(r.files.filter((f) => f.startsWith("node:") && f !== "node:module")).toEqual([]);
    expect(r.modules.some((m) => /@smithy\/node-http-handler/.test(m))).toBe(true);
  });

  test("node:child_process (Commander's, for executable subcommands) is not loaded by the tree or a real command", () => {
    const builtins = (args: string[]) => {
      const file = join(mkdtempSync(join(tmpdir(), "sqsctl-trace-")), "builtins.txt");
      spawnSync(process.execPath, ["--import", fileURLToPath(new URL("../helpers/trace-builtins.mjs", import.meta.url)), BIN, ...args], {
        // Keys in the environment, as in CI: the credential chain stops there (a chain that
        // reaches credential_process loads child_process for it, rightly).
        env: { PATH: process.env.PATH, SQSCTL_TRACE_BUILTINS: file, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" },
        encoding: "utf8",
      });
      return readFileSync(file, "utf8").trim().split("\n");
    };
    for (const args of [["--no-color", "--help"], ["queues", "list", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"]]) {
      const loaded = builtins(args);
      // The trace worked: Commander's other built-ins are there.
      expect(loaded).toContain("path");
      expect(loaded.filter((m) => /child_process|dgram/.test(m))).toEqual([]);
    }
  });

  test("a real command does load the SDK (the trace sees it)", () => {
    const r = loadedModules(["queues", "list", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"]);
    expect(r.modules.some((m) => /@aws-sdk\/client-sqs/.test(m))).toBe(true);
    // ...but not what only other commands need.
    for (const other of [/@inquirer\//, /\/ora\//, /jmespath/, /src\/browse\//]) expect(r.modules.filter((m) => other.test(m))).toEqual([]);
  });
});

/** Every command path and alias, and the topics, as bin/sqsctl.js's static answer and the tree print them. */
describe("help from dist/help.json is the command tree's own help", () => {
  const help = JSON.parse(readFileSync(join(ROOT, "dist/help.json"), "utf8")) as { commands: Record<string, string>; topics: Record<string, string> };
  const sh = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH }, encoding: "utf8" });

  test("it holds every command, alias and topic", () => {
    for (const key of ["", "queues", "queue ls", "dlq redrive", "bulk-send", "interactive", "help"]) expect(help.commands[key], key).toBeTruthy();
    expect(Object.keys(help.topics)).toContain("exit-codes");
  });

  test.each(["", "queues", "queue ls", "send", "dlq", "dlq redrive", "help"])("sqsctl %s --help, static and from the tree, print the same", (path) => {
    const words = path ? path.split(" ") : [];
    const fromFile = sh([...words, "--help"]);
    // A global option in front sends the same request through Commander.
    const fromTree = sh(["--no-color", ...words, "--help"]);
    expect(fromFile.status).toBe(0);
    expect(fromTree.status).toBe(0);
    expect(fromFile.stdout).toBe(help.commands[path]);
    expect(fromFile.stdout).toBe(fromTree.stdout);
    expect(sh(["help", ...words]).stdout).toBe(fromTree.stdout);
  });

  test.each([["--help"], ["--version"], ["help", "exit-codes"]])("sqsctl %s into a pipe whose reader has gone: exit 0, nothing on stderr", (...args) => {
    // GIVEN a reader that exits before the CLI writes (`true` reads nothing), so the write gets EPIPE
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const command = [process.execPath, BIN, ...args].map(quote).join(" ");
    const r = spawnSync("/bin/sh", ["-c", `{ ${command}; echo "rc=$?" >&2; } | true`], { encoding: "utf8", env: { PATH: process.env.PATH } });
    // THEN it ends quietly with 0, as `sqsctl --help | head -1` should
    expect(r.stderr).toBe("rc=0\n");
  });

  test("help TOPIC, static and from the tree, print the same", () => {
    const fromFile = sh(["help", "exit-codes"]);
    expect(fromFile.status).toBe(0);
    expect(fromFile.stdout).toBe(help.topics["exit-codes"]);
    expect(sh(["--no-color", "help", "exit-codes"]).stdout).toBe(fromFile.stdout);
  });

  test("an unknown word after help, or a typo, still goes to Commander (with its suggestion)", () => {
    const unknown = sh(["help", "nosuch"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/No command or help topic "nosuch"/);
    const typo = sh(["qeueus", "list"]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/Did you mean .*queues/);
    // Commander answers a typo followed by --help with the top-level help, as before.
    const typoHelp = sh(["qeueus", "--help"]);
    expect(typoHelp.status).toBe(0);
    expect(typoHelp.stdout).toBe(help.commands[""]);
  });
});

/**
 * On a terminal Commander wraps help to the terminal's width. bin/sqsctl.js answers from
 * dist/help/tty/<command>.json: the text for a terminal at least as wide as its longest line,
 * else a template (src/help/terminal.ts) filled in at process.stdout.columns with
 * Commander's Help; an 80-column terminal gets dist/help.json's text. Each must print what
 * the tree prints at that width, and load no tree.
 */
describe("help on a terminal is the tree's help at the terminal's width, without the tree", () => {
  /** Commander's own help for `words` at `cols` columns, from the source tree in this process. */
  function treeHelp(words: string[], cols: number | undefined): string {
    let text = "";
    const sink = { write: (s: string) => ((text += s), true), isTTY: true };
    const program = buildProgram({ io: { stdout: sink, stderr: sink, stdin: process.stdin, env: {} } as never, signal: new AbortController().signal });
    let cmd = program;
    for (const w of words) cmd = cmd.commands.find((c) => c.name() === w || c.aliases().includes(w))!;
    // A pipe's width (undefined: Commander's 80) when cols is undefined.
    cmd.configureOutput({ getOutHelpWidth: () => cols as number, getOutHasColors: () => false });
    cmd.outputHelp();
    return text;
  }

  /**
   * What the terminal received, line ends as written (the pty turns \n into \r\n). The CLI
   * runs under sh on the terminal; after it ends, sh prints a marker and waits for a line,
   * so the terminal stays open until everything before the marker has been read (output
   * written just before a process exits can otherwise be lost with the terminal).
   */
  async function onTerminal(args: string[], cols: number, opts: { zeroSize?: boolean; env?: Record<string, string> } = {}) {
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const command = [process.execPath, BIN, ...args].map(quote).join(" ");
    const script = `${opts.zeroSize ? "stty cols 0 rows 0; " : ""}${command}; code=$?; printf '<<exit %s>>' "$code"; read _; exit 0`;
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", TERM: "xterm-256color", ...opts.env };
    const term = pty.spawn("/bin/sh", ["-c", script], { cols, rows: 40, env });
    let raw = "";
    term.onData((d) => (raw += d));
    const ended = new Promise<void>((resolve) => term.onExit(() => resolve()));
    try {
      await vi.waitFor(() => expect(raw).toMatch(/<<exit \d+>>/), { timeout: 20_000, interval: 20 });
    } finally {
      term.write("\r");
      await ended;
    }
    const [, out = "", code = ""] = /^([\s\S]*)<<exit (\d+)>>/.exec(raw) ?? [];
    return { code: Number(code), text: out.replace(/\r\n/g, "\n") };
  }

  test.each([
    [50, ""],
    [100, ""],
    [160, "dlq redrive"],
    [60, "queue ls"],
    [60, "queues"],
    [130, "send"],
    [200, ""],
    [80, "dlq redrive"],
  ])("%i columns: sqsctl %s --help prints what Commander prints there", async (cols, path) => {
    const words = path ? path.split(" ") : [];
    const expected = treeHelp(words, cols);
    // The width matters here, or this proves nothing about wrapping.
    if (cols !== 80) expect(expected).not.toBe(treeHelp(words, undefined));
    const fast = await onTerminal([...words, "--help"], cols);
    expect(fast.code).toBe(0);
    expect(fast.text).toBe(expected);
    // The tree itself, on the same terminal (a global option in front sends it there).
    const tree = await onTerminal(["--no-color", ...words, "--help"], cols);
    expect(tree.text).toBe(expected);
  });

  test("a terminal that reports 0 columns gets Commander's unwrapped help, as from the tree", async () => {
    const expected = treeHelp(["dlq", "redrive"], 0);
    const fast = await onTerminal(["dlq", "redrive", "--help"], 100, { zeroSize: true });
    expect(fast.code).toBe(0);
    expect(fast.text).toBe(expected);
  });

  test("without process.stdout: --version on a terminal, and help where the tty binding would warn (--pending-deprecation), print the same", async () => {
    // GIVEN the launcher writes to fd 1 itself and asks the tty binding for the width
    // WHEN --version runs on a terminal
    const version = await onTerminal(["--version"], 100);
    // THEN it prints the package's version, nothing else
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(version).toEqual({ code: 0, text: `${pkg.version}\n` });
    // WHEN Node would print a deprecation warning for process.binding (stderr is the same terminal)
    const expected = treeHelp(["dlq", "redrive"], 100);
    const warned = await onTerminal(["dlq", "redrive", "--help"], 100, { env: { NODE_OPTIONS: "--pending-deprecation" } });
    // THEN the launcher asks process.stdout instead: the same help, no warning on the terminal
    expect(warned.code).toBe(0);
    expect(warned.text).toBe(expected);
    const byEnv = await onTerminal(["dlq", "redrive", "--help"], 100, { env: { NODE_PENDING_DEPRECATION: "1" } });
    expect(byEnv.text).toBe(expected);
  });

  test("FORCE_COLOR does not colour it (Commander's help has no colour either), and help TOPIC is the topic", async () => {
    const expected = treeHelp([], 100);
    const forced = await onTerminal(["--help"], 100, { env: { FORCE_COLOR: "1" } });
    expect(forced.text).toBe(expected);
    const help = JSON.parse(readFileSync(join(ROOT, "dist/help.json"), "utf8")) as { topics: Record<string, string> };
    const topic = await onTerminal(["help", "filters"], 100);
    expect(topic.text).toBe(help.topics.filters);
  });

  test.each([
    // Narrower than its longest line: filled in by dist/help/terminal.js (Commander's Help alone).
    [120, "queues", ["dist/help/terminal.js"]],
    // At least as wide as its longest line (dist/help/tty/queues.json), or 80 columns (dist/help.json): no module.
    [200, "queues", []],
    [80, "queues", []],
  ])("%i columns: queues --help on a terminal loads %s %j: no command tree, no Command class", async (cols, path, loaded) => {
    const file = join(mkdtempSync(join(tmpdir(), "sqsctl-trace-")), "imports.txt");
    const expected = treeHelp([path], cols);
    const r = await onTerminal([path, "--help"], cols, { env: { NODE_OPTIONS: `--import ${TRACE}`, SQSCTL_TRACE_IMPORTS: file } });
    expect(r.code).toBe(0);
    expect(r.text).toBe(expected);
    const files = readFileSync(file, "utf8").trim().split("\n");
    expect(files.some((f) => f.endsWith("bin/sqsctl.js"))).toBe(true);
    expect(files.filter((f) => /\/dist\//.test(f)).map((f) => relative(ROOT, fileURLToPath(f)))).toEqual(loaded);
    const modules = inputsOf(files);
    expect(modules.filter((m) => /commander\/lib\/command\.js|src\/program\.ts|src\/cli\//.test(m))).toEqual([]);
    for (const heavy of HEAVY) expect(modules.filter((m) => heavy.test(m))).toEqual([]);
  });
});
