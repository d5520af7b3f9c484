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
} else if (!process.stdout.isTTY && (await staticHelp())) {
  // `--help` and `help TOPIC` into a pipe: the text was written at build time (dist/help.json).
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
 * the line, printed from dist/help.json: Commander's own output for a pipe (80 columns, no
 * colour), captured by scripts/build.mjs from the full tree. Anything else (an option, an
 * unknown word, a terminal's width) goes to the tree, which answers the same or better.
 */
async function staticHelp() {
  let words;
  let topic = false;
  if (args.length >= 1 && (args.at(-1) === "--help" || args.at(-1) === "-h")) words = args.slice(0, -1);
  else if (args[0] === "help") [words, topic] = [args.slice(1), true];
  else return false;
  if (!words.every((w) => /^[a-z][a-z0-9-]*$/.test(w))) return false;
  const { readFileSync } = process.getBuiltinModule("node:fs");
  let help;
  try {
    help = JSON.parse(readFileSync(new URL("../dist/help.json", import.meta.url), "utf8"));
  } catch {
    return false;
  }
  const key = words.join(" ");
  const text = (topic && Object.hasOwn(help.topics, key) ? help.topics[key] : undefined) ?? (Object.hasOwn(help.commands, key) ? help.commands[key] : undefined);
  if (text === undefined) return false;
  // `sqsctl --help | head -1`: a reader that has gone is not an error (as in dist/main.js).
  process.stdout.on("error", (err) => {
    if (err.code !== "EPIPE") throw err;
  });
  process.stdout.write(text);
  return true;
}
