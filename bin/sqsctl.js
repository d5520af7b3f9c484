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
  writeOut(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
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
  // Commander's width: the terminal's columns, 80 for a pipe.
  const width = terminalColumns() ?? 80;
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
  writeOut(text);
  return true;
}

/**
 * Writes to fd 1 without process.stdout: on a terminal, building that stream (a
 * tty.WriteStream, which loads node:tty and node:net) costs more than the rest of a
 * static answer (bench/RESULTS.md, "1e"). A full non-blocking pipe (EAGAIN) hands the
 * rest to process.stdout, which waits for it; a reader that has gone (EPIPE, e.g.
 * `sqsctl --help | head -1`) is not an error, as in dist/main.js.
 */
function writeOut(text) {
  const { writeSync } = process.getBuiltinModule("node:fs");
  const bytes = Buffer.from(text);
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(1, bytes, done);
  } catch (err) {
    if (err.code === "EPIPE") return;
    if (err.code !== "EAGAIN") throw err;
    process.stdout.on("error", (e) => {
      if (e.code !== "EPIPE") throw e;
    });
    process.stdout.write(bytes.subarray(done));
  }
}

/**
 * The terminal's width in columns if fd 1 is a terminal, else undefined: what
 * process.stdout.columns would say, without building process.stdout (see writeOut).
 * It asks the tty binding directly (two calls, no stream); where that binding is not
 * there or would print a deprecation warning (--pending-deprecation), it asks
 * process.stdout as before.
 */
function terminalColumns() {
  const pending =
    process.env.NODE_PENDING_DEPRECATION === "1" ||
    [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].includes("--pending-deprecation");
  if (!pending) {
    try {
      const { TTY, isTTY } = process.binding("tty_wrap");
      if (!isTTY(1)) return undefined;
      const handle = new TTY(1, {});
      const size = [0, 0];
      const failed = handle.getWindowSize(size);
      // Opening the handle made fd 1 non-blocking (libuv reopens the terminal); writes
      // to a terminal block, as process.stdout makes them.
      handle.setBlocking(true);
      handle.close();
      // As tty.WriteStream: a terminal whose size can't be read has no columns (Commander's 80).
      return failed ? undefined : size[0];
    } catch {
      // no such binding in this Node: ask the stream
    }
  }
  return process.stdout.isTTY ? process.stdout.columns : undefined;
}
