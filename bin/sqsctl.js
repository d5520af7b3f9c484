#!/usr/bin/env node
// Kept tiny on purpose: all logic lives in dist/main.js. Built-ins are taken with
// process.getBuiltinModule() (Node >= 22.3, checked first), not ES imports: an ES import
// makes Node build the module's namespace, reading each lazy export (node:fs's promises,
// streams...), which costs start-up.

// First, before anything that needs a newer Node: the versions every dependency supports
// (package.json "engines"; @inquirer/prompts sets it). Older ones get one line, exit 2.
const [major, minor, patch] = process.versions.node.split(".").map(Number);
const supported = major >= 26 || (major === 24 && minor >= 15) || (major === 22 && (minor > 22 || (minor === 22 && patch >= 2)));
if (!supported) {
  process.stderr.write(
    `error: sqsctl needs Node.js 24.15 or newer (or 22.22.2+ on 22.x, or 26+); this is ${process.version}. ` +
      "Install a current LTS (e.g. 'nvm install 24', or https://nodejs.org) and run sqsctl with it.\n",
  );
  process.exit(2);
}

// Node >= 22.1 caches compiled code between runs: start-up is most of a short command's time.
process.getBuiltinModule("node:module").enableCompileCache?.();

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  // The one call scripts make in a loop: answer it without loading the command tree.
  const { readFileSync } = process.getBuiltinModule("node:fs");
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
} else if (await staticHelp()) {
  // `--help` and `help TOPIC`: the text was written at build time (dist/help.json; on a
  // terminal, dist/help/tty/, for its width).
} else if (args[0] === "__complete-queues" && (await cachedQueueNames())) {
  // Shell completion asking for queue names: answered from a fresh cache.
} else {
  const { main } = await import("../dist/main.js");
  main();
}

async function cachedQueueNames() {
  const { servedFromCache } = await import("../dist/completion/fast-path.js");
  return servedFromCache(args.slice(1), process.env, process.stdout);
}

/**
 * `sqsctl [command...] --help|-h` and `sqsctl help [topic|command...]`, with nothing else on
 * the line, answered without loading the command tree (dist/main.js), with the text the
 * tree would print, written by scripts/build.mjs:
 * - into a pipe, or on an 80-column terminal: dist/help.json, Commander's own output at 80
 *   columns (no colour: Commander's help has none, so NO_COLOR/FORCE_COLOR change nothing);
 * - on a terminal at least as wide as the command's longest help line: the command's
 *   dist/help/tty/*.json `text`;
 * - on any other terminal: its `template`, filled in at the terminal's width by
 *   dist/help/terminal.js with Commander's own wrapping (src/help/terminal.ts).
 * Anything else (an option, an unknown word) goes to the tree, which answers the same or better.
 */
async function staticHelp() {
  let words;
  let topic = false;
  if (args.length >= 1 && (args.at(-1) === "--help" || args.at(-1) === "-h")) words = args.slice(0, -1);
  else if (args[0] === "help") [words, topic] = [args.slice(1), true];
  else return false;
  if (!words.every((w) => /^[a-z][a-z0-9-]*$/.test(w))) return false;
  const { readFileSync } = process.getBuiltinModule("node:fs");
  const table = (name) => {
    try {
      return JSON.parse(readFileSync(new URL(`../dist/${name}`, import.meta.url), "utf8"));
    } catch {
      return undefined;
    }
  };
  const entry = (t, key) => (t && Object.hasOwn(t, key) ? t[key] : undefined);
  const key = words.join(" ");
  // Commander's width: the terminal's columns (0 on a terminal that reports no size), 80 for a pipe.
  const width = process.stdout.isTTY ? (process.stdout.columns ?? 80) : 80;
  let text;
  if (topic || width === 80) {
    // Topics are plain text, the same everywhere.
    const help = table("help.json");
    text = (topic ? entry(help?.topics, key) : undefined) ?? (width === 80 ? entry(help?.commands, key) : undefined);
  }
  if (text === undefined && width !== 80) {
    const tty = table(`help/tty/${key ? key.replaceAll(" ", ".") : "@"}.json`);
    if (tty && tty.fits !== null && width >= tty.fits) text = tty.text;
    else if (tty) text = (await import("../dist/help/terminal.js")).renderHelp(tty.template, width);
  }
  if (text === undefined) return false;
  // `sqsctl --help | head -1`: a reader that has gone is not an error (as in dist/main.js).
  process.stdout.on("error", (err) => {
    if (err.code !== "EPIPE") throw err;
  });
  process.stdout.write(text);
  return true;
}
