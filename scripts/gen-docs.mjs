#!/usr/bin/env node
// Regenerates docs/commands.md from the built CLI's --help: `npm run docs`.
// The reference lives only there; the README links to it (and keeps its own short
// command table). test/unit/docs-reference.test.ts fails when docs/commands.md is stale.
import { mkdirSync, writeFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { buildProgram } from "../dist-dev/program.js";
import { HELP_TOPICS } from "../dist-dev/help/topics.js";
import { commandsMarkdown } from "../dist-dev/help/reference.js";

const io = () => ({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} });
const program = () => buildProgram({ io: io(), signal: new AbortController().signal });

const docs = new URL("../docs/commands.md", import.meta.url);
mkdirSync(new URL("../docs/", import.meta.url), { recursive: true });
writeFileSync(docs, commandsMarkdown(program(), HELP_TOPICS));
console.log("wrote docs/commands.md");
