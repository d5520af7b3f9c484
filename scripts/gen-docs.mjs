#!/usr/bin/env node
// Regenerates docs/commands.md (and README.md between <!-- commands:start --> and
// <!-- commands:end -->, when those markers are there) from the built CLI's --help:
// `npm run docs`. test/unit/docs-reference.test.ts fails when docs/commands.md is stale.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { buildProgram } from "../dist-dev/program.js";
import { HELP_TOPICS } from "../dist-dev/help/topics.js";
import { commandsMarkdown, readmeBlock, spliceReadme } from "../dist-dev/help/reference.js";

const io = () => ({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} });
const program = () => buildProgram({ io: io(), signal: new AbortController().signal });

const docs = new URL("../docs/commands.md", import.meta.url);
mkdirSync(new URL("../docs/", import.meta.url), { recursive: true });
writeFileSync(docs, commandsMarkdown(program(), HELP_TOPICS));
console.log("wrote docs/commands.md");

const readmeUrl = new URL("../README.md", import.meta.url);
if (existsSync(readmeUrl)) {
  const updated = spliceReadme(readFileSync(readmeUrl, "utf8"), readmeBlock(program(), HELP_TOPICS));
  if (updated === undefined) console.log("README.md has no <!-- commands:start --> / <!-- commands:end --> markers: left alone");
  else {
    writeFileSync(readmeUrl, updated);
    console.log("updated README.md between the commands markers");
  }
}
