import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { expect, test } from "vitest";
import { COMPLETION_FILES, SHELLS, completionScript } from "../../src/completion/index.js";
import { HELP_TOPICS } from "../../src/help/topics.js";
import { buildProgram } from "../../src/program.js";

// completions/ is checked in so packages and distributions can install it without
// running sqsctl. It must match the command tree exactly.
test.each(SHELLS)("completions/ for %s is up to date", (shell) => {
  const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
  const program = buildProgram({ io: io as never, signal: new AbortController().signal });
  const expected = completionScript(shell, program, Object.keys(HELP_TOPICS));
  const file = new URL(`../../${COMPLETION_FILES[shell]}`, import.meta.url);
  let actual = "";
  try {
    actual = readFileSync(file, "utf8");
  } catch {
    // missing counts as stale
  }
  if (actual !== expected) {
    expect.fail(`${COMPLETION_FILES[shell]} is out of date with the command tree. Run \`npm run completions\` and commit the result.`);
  }
});
