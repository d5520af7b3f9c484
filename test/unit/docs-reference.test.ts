import { existsSync, readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { expect, test } from "vitest";
import { HELP_TOPICS } from "../../src/help/topics.js";
import { commandsMarkdown } from "../../src/help/reference.js";
import { buildProgram } from "../../src/program.js";

const program = () =>
  buildProgram({ io: { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} } as never, signal: new AbortController().signal });

test("docs/commands.md matches the CLI's --help", () => {
  const expected = commandsMarkdown(program(), HELP_TOPICS);
  const file = new URL("../../docs/commands.md", import.meta.url);
  const actual = existsSync(file) ? readFileSync(file, "utf8") : "";
  if (actual !== expected) expect.fail("docs/commands.md is out of date with the CLI's --help. Run `npm run docs` and commit the result.");
});

test("the generated reference lives only in docs/commands.md: the README links to it and repeats none of it", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  expect(readme).toContain("](docs/commands.md)");
  expect(readme).not.toContain("Generated from the CLI's own --help");
  expect(readme).not.toContain("<!-- commands:start -->");
  // No command's full --help pasted in: the generated text starts every block with "Usage: sqsctl".
  expect(readme).not.toMatch(/^Usage: sqsctl/m);
});

test("the reference holds every command's help with its examples, and the topics", () => {
  const md = commandsMarkdown(program(), HELP_TOPICS);
  expect(md).toContain("## sqsctl queues create\n\n```text\nUsage: sqsctl queues create [options] <name>");
  expect(md).toContain("$ sqsctl queues create orders --create-dlq --max-receive 3");
  expect(md).toContain("## sqsctl watch");
  expect(md).toContain("## sqsctl help filters");
  expect(md).not.toContain("__complete");
  // Every command's help has an Examples block.
  const sections = md.split("\n## ").slice(1).filter((s) => !s.startsWith("sqsctl help "));
  for (const s of sections) {
    const path = s.split("\n")[0]!;
    const isGroup = /\nCommands:\n/.test(s);
    if (!isGroup) expect(s, `${path} has no examples`).toContain("Examples:");
  }
});
