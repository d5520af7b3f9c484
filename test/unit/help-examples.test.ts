/**
 * Every example a user can paste (each command's --help, the help topics, the README)
 * runs as written in bash: it parses (bash -n), bash's quoting hands sqsctl the words
 * the author meant (a filter in double quotes with backticks would be eaten by command
 * substitution), and the words are a valid sqsctl command line with valid JMESPath.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, test } from "vitest";
import type { Command } from "commander";
import { compileFilter, compileGroupBy, compileQuery } from "../../src/core/filter.js";
import { HELP_TOPICS } from "../../src/help/topics.js";
import { buildProgram } from "../../src/program.js";

const io = () => ({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} }) as never;

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

/** Each command's "Examples:" lines, as the user sees them in --help. */
function helpExamples(): Array<{ where: string; line: string }> {
  const out: Array<{ where: string; line: string }> = [];
  for (const cmd of allCommands(buildProgram({ io: io(), signal: new AbortController().signal }))) {
    let text = "";
    cmd.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
    cmd.outputHelp();
    for (const l of text.split("\n")) if (l.startsWith("  $ ")) out.push({ where: `sqsctl ${cmd.name()} --help`, line: l.slice(4) });
  }
  return out;
}

function topicExamples(): Array<{ where: string; line: string }> {
  const out: Array<{ where: string; line: string }> = [];
  for (const [name, t] of Object.entries(HELP_TOPICS)) {
    for (const l of t.text.split("\n")) {
      const s = l.trim();
      if (s.startsWith("sqsctl ")) out.push({ where: `help ${name}`, line: s });
      // The bare flag examples of 'help filters', on a command that takes them.
      if (s.includes("EXPR")) continue; // prose about the flag, not an example
      if (s.startsWith("--filter ")) out.push({ where: `help ${name}`, line: `sqsctl tail orders ${s}` });
      if (s.startsWith("--group-by ")) out.push({ where: `help ${name}`, line: `sqsctl dlq inspect orders-dlq ${s}` });
    }
  }
  return out;
}

function readmeExamples(): Array<{ where: string; line: string }> {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const out: Array<{ where: string; line: string }> = [];
  for (const block of readme.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
    for (const l of block[1]!.split("\n")) if (l.trim()) out.push({ where: "README", line: l });
  }
  // Inline examples with quoting that bash could get wrong (a table's `sqsctl send Q [BODY]` is a synopsis, not an example).
  for (const m of readme.matchAll(/`(sqsctl [^`]*'[^`]*)`/g)) out.push({ where: "README", line: m[1]! });
  return out;
}

const examples = [...helpExamples(), ...topicExamples(), ...readmeExamples()];

// A sandbox where only stubs run: sqsctl records its arguments, everything else is a no-op.
const dir = mkdtempSync(join(tmpdir(), "sqsctl-examples-"));
const bin = join(dir, "bin");
const log = join(dir, "argv.log");
// The places the completion examples write to.
spawnSync("mkdir", ["-p", bin, join(dir, "home/.local/share/bash-completion/completions"), join(dir, "home/.config/fish/completions")]);
const stub = (name: string, body: string) => {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
};
stub("sqsctl", `printf '%s\\0' "$@" >> "${log}"; printf '\\001' >> "${log}"`);
stub("npx", `exec "$@"`);
for (const name of ["jq", "npm", "cat", "aws"]) stub(name, ":");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The argv of each sqsctl call the line makes, as bash hands it over. */
function argvsOf(line: string): string[][] {
  writeFileSync(log, "");
  const r = spawnSync("/bin/bash", ["--noprofile", "--norc", "-c", line], {
    cwd: dir,
    env: { PATH: bin, HOME: join(dir, "home") },
    encoding: "utf8",
  });
  expect(r.stderr, `bash printed errors for: ${line}`).toBe("");
  return readFileSync(log, "utf8")
    .split("\u0001")
    .filter((s) => s !== "")
    .map((s) => s.split("\0").slice(0, -1));
}

/** The real command tree with every action replaced by a no-op: parsing only. */
function parser(): Command {
  const program = buildProgram({ io: io(), signal: new AbortController().signal });
  for (const c of allCommands(program)) c.action(async () => undefined);
  return program;
}

const ENVELOPE_STREAMS = /\bsqsctl (?:.* )?(receive|tail|export|dlq inspect)\b/;

describe("every example runs as written in bash", () => {
  test("there are examples from --help, the topics and the README", () => {
    expect(examples.filter((e) => e.where === "README").length).toBeGreaterThanOrEqual(5);
    expect(examples.filter((e) => e.where.startsWith("help ")).length).toBeGreaterThanOrEqual(20);
    expect(examples.filter((e) => e.where.endsWith("--help")).length).toBeGreaterThanOrEqual(40);
  });

  test.each(examples.map((e) => [e.where, e.line]))("%s: %s", async (_where, line) => {
    // 1. bash parses it.
    const syntax = spawnSync("/bin/bash", ["-n", "-c", line], { encoding: "utf8" });
    expect(syntax.status, syntax.stderr).toBe(0);
    // 2. bash hands sqsctl the words meant: each is a valid command line for the real CLI.
    const argvs = argvsOf(line);
    if (/^\s*(npx )?sqsctl /.test(line)) expect(argvs.length, "the example never ran sqsctl").toBeGreaterThan(0);
    for (const argv of argvs) {
      await expect(parser().parseAsync(argv, { from: "user" }), argv.join(" ")).resolves.toBeDefined();
      // 3. Every JMESPath is valid as bash delivered it (backticks eaten by the shell show up here).
      argv.forEach((word, i) => {
        const next = argv[i + 1];
        if (next === undefined) return;
        if (word === "--filter") expect(() => compileFilter(next), line).not.toThrow();
        if (word === "--group-by") expect(() => compileGroupBy(next), line).not.toThrow();
        if (word === "--query") expect(() => compileQuery(next), line).not.toThrow();
      });
    }
    // 4. Envelopes have no "json" field (that is only the filter's view of the body): jq .json prints null.
    if (ENVELOPE_STREAMS.test(line) && /\|\s*jq\b/.test(line)) expect(line.split("|").slice(1).join("|")).not.toMatch(/\.json\b/);
  });
});
