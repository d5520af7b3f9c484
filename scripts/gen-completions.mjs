#!/usr/bin/env node
// Regenerates completions/ from the built CLI: `npm run completions` (builds first).
// The unit test test/unit/completion-files.test.ts fails when these files are stale.
import { writeFileSync, mkdirSync } from "node:fs";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { buildProgram } from "../dist-dev/program.js";
import { COMPLETION_FILES, SHELLS, completionScript } from "../dist-dev/completion/index.js";
import { HELP_TOPICS } from "../dist-dev/help/topics.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
mkdirSync(new URL("../completions/", import.meta.url), { recursive: true });
for (const shell of SHELLS) {
  const program = buildProgram({ io, signal: new AbortController().signal });
  const file = `${root}${COMPLETION_FILES[shell]}`;
  writeFileSync(file, completionScript(shell, program, Object.keys(HELP_TOPICS)));
  console.log(`wrote ${COMPLETION_FILES[shell]}`);
}
