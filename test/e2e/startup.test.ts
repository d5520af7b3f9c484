import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { BIN } from "../helpers/cli.js";

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
