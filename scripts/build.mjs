#!/usr/bin/env node
// `npm run build`: bundles the CLI with esbuild (tsc only typechecks: `npm run typecheck`).
//
// dist/      what ships (package.json "files"): bin/sqsctl.js imports dist/main.js (the
//            command tree) and dist/completion/fast-path.js. Every command's code is behind
//            a dynamic import() in src/cli/*.ts, so esbuild splits it into chunks
//            (dist/chunk-*.js) that load only when that command runs, each with just the SDK
//            pieces it needs: a start-up loads a handful of files instead of ~900 modules.
//            No source maps (nothing in the package points at missing files); the code is
//            not minified, so --debug stack traces stay readable.
// dist-dev/  every src file transpiled one to one (no bundling), for scripts/, bench/ and
//            the demo that import internals (dist-dev/program.js, ...). Never shipped.
// build/esbuild-meta.json  which source modules went into which dist file: read by
//            test/e2e/startup.test.ts to prove --help loads no SDK code.
import { readdirSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { builtinModules, createRequire } from "node:module";
import { build } from "esbuild";

const nodeRequire = createRequire(import.meta.url);
const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const common = { platform: "node", target: "node22", format: "esm", logLevel: "warning", absWorkingDir: root };

rmSync(join(root, "dist"), { recursive: true, force: true });
rmSync(join(root, "dist-dev"), { recursive: true, force: true });

// Node's built-ins are reached as require() reaches them, not by import: importing one as an ES module
// makes Node build its namespace, which reads every export, lazy getters included. For
// node:http that loads undici (WebSocket, MessageEvent...), for node:crypto WebCrypto, for
// node:tls the root certificates: ~15-40 ms of start-up that a CommonJS script (the SDK's
// own dist-cjs) never pays. Each built-in becomes a small module that takes it from
// process.getBuiltinModule() (Node >= 22.3, as require() would) and
// exports each property as a pure call, so esbuild drops every export nothing imports and
// only what the code names is read. A namespace (`await import("node:http")`) keeps them
// all: the slow lazy ones (SLOW) are left out of it. require() calls are left as they are.
const SLOW = { http: ["WebSocket", "CloseEvent", "MessageEvent"], https: [], crypto: ["webcrypto", "subtle"], tls: ["rootCertificates"] };
// node:child_process is Commander's (`import childProcess from "node:child_process"`, for
// executable subcommands, which sqsctl has none of): loading it at start-up also loads
// dgram and its internals, ~2.5 ms of every command. Its default export is a stand-in
// that loads the module on first use.
const LAZY = new Set(["child_process"]);
const requireBuiltins = {
  name: "require-builtins",
  setup(b) {
    const names = new Set(builtinModules.filter((m) => !m.startsWith("_")));
    b.onResolve({ filter: /^[a-z_:/0-9]+$/ }, (args) => {
      const bare = args.path.replace(/^node:/, "");
      // A CommonJS require() keeps Node's own module (`class X extends require("stream")`).
      if (!names.has(bare) || args.namespace === "builtin" || args.kind === "require-call") return undefined;
      // One copy per importing module, so no built-in becomes a chunk of its own (a file to load).
      return { path: `${bare}|${args.importer}`, namespace: "builtin" };
    });
    b.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => {
      const name = args.path.split("|")[0];
      const keys = Object.keys(nodeRequire(name)).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== "default" && !SLOW[name]?.includes(k));
      const id = JSON.stringify(`node:${name}`);
      // A built-in in LAZY is loaded on first use of its default export's properties, not
      // when the chunk is evaluated (a named import still loads it at once).
      const head = LAZY.has(name)
        ? `let m;\nconst get = () => (m ??= process.getBuiltinModule(${id}));\nconst pick = (k) => get()[k];\n` +
          `const lazy = {};\nfor (const k of ${JSON.stringify(keys)}) Object.defineProperty(lazy, k, { get: () => get()[k], enumerable: true });\nexport default lazy;\n`
        : `const m = process.getBuiltinModule(${id});\nconst pick = (k) => m[k];\nexport default m;\n`;
      return {
        contents: head + keys.map((k) => `export const ${k} = /* @__PURE__ */ pick(${JSON.stringify(k)});\n`).join(""),
        loader: "js",
      };
    });
  },
};

// src/help/terminal.ts (help on a terminal, without the tree) needs only Commander's Help
// class: its "commander" import is resolved to lib/help.js, not the package's index.js
// (whose `export const program = new Command()` would bring Command and its built-ins in).
// It is built on its own into one file (dist/help/terminal.js, ~25 kB: one file to load,
// not three shared chunks); the rest of the CLI imports Commander as usual.
const commanderHelpOnly = {
  name: "commander-help-only",
  setup(b) {
    b.onResolve({ filter: /^commander$/ }, (args) =>
      args.importer.endsWith(join("src", "help", "terminal.ts")) ? { path: nodeRequire.resolve("commander").replace(/index\.js$/, join("lib", "help.js")) } : undefined,
    );
  },
};

const cli = await build({
  ...common,
  entryPoints: { main: "src/main.ts", "completion/fast-path": "src/completion/fast-path.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  chunkNames: "chunk-[hash]",
  // Prefer the packages' ES module builds: esbuild can drop what a command never uses.
  mainFields: ["module", "main"],
  // fauxqs is an optional dependency (`sqsctl local`), loaded only when present;
  // cli-table3 is loaded with createRequire by src/output/ui.ts.
  external: ["fauxqs", "cli-table3"],
  // CommonJS dependencies inside an ES module bundle call require() for Node built-ins.
  banner: { js: 'import { createRequire as __sqsctlRequire } from "node:module";\nconst require = __sqsctlRequire(import.meta.url);' },
  metafile: true,
  plugins: [requireBuiltins],
});
const terminalHelp = await build({
  ...common,
  entryPoints: { "help/terminal": "src/help/terminal.ts" },
  outdir: "dist",
  bundle: true,
  metafile: true,
  plugins: [commanderHelpOnly, requireBuiltins],
});
for (const [k, v] of Object.entries(terminalHelp.metafile.outputs)) cli.metafile.outputs[k] = v;
for (const [k, v] of Object.entries(terminalHelp.metafile.inputs)) cli.metafile.inputs[k] ??= v;
mkdirSync(join(root, "build"), { recursive: true });
writeFileSync(join(root, "build/esbuild-meta.json"), JSON.stringify(cli.metafile));

const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
await build({
  ...common,
  entryPoints: files(src).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).map((f) => relative(root, f)),
  outbase: "src",
  outdir: "dist-dev",
  bundle: false,
  sourcemap: true,
});

// dist/help.json  every command's --help text, as Commander prints it to a pipe (80 columns,
//            no colour), and the help topics: bin/sqsctl.js answers `sqsctl [cmd...] --help`
//            and `sqsctl help [topic|cmd...]` from it without loading the command tree, when
//            stdout is not a terminal. test/e2e/startup.test.ts checks each text against the tree's.
// dist/help/tty/<command path, words joined by ".", "@" for the root>.json  the help for
//            a terminal, whose width changes Commander's wrapping, one small file per
//            command (a terminal reads only its own): `wide`, the text for every width from
//            `fits` up (nothing wraps there), and `template` (src/help/terminal.ts), which
//            dist/help/terminal.js fills in at any other width with Commander's own Help, as
//            the tree would print it. An 80-column terminal gets help.json's text. Commander's
//            help has no colour (the default Help styles nothing): the build checks that no
//            text has an escape code, so NO_COLOR, --no-color or a pipe cannot differ.
const { buildProgram } = await import(join(root, "dist-dev/program.js"));
const { HELP_TOPICS } = await import(join(root, "dist-dev/help/topics.js"));
const { helpTemplate, renderHelp, wideHelp } = await import(join(root, "dist-dev/help/terminal.js"));
let captured = "";
const sink = { write: (s) => ((captured += s), true), isTTY: false };
const program = buildProgram({ io: { stdout: sink, stderr: sink, stdin: process.stdin, env: {} }, signal: new AbortController().signal });
const commands = {};
const templates = {};
const wide = {};
const take = () => {
  const s = captured;
  captured = "";
  return s;
};
const walk = (cmd, keys) => {
  cmd.configureOutput({ getOutHelpWidth: () => undefined, getOutHasColors: () => false });
  captured = "";
  cmd.outputHelp();
  const text = take();
  const template = helpTemplate(cmd, take);
  for (const [check, width] of [[text, undefined], [text, 80]]) {
    if (renderHelp(template, width) !== check) throw new Error(`help template of "${keys[0]}" does not render as Commander prints it at ${width} columns`);
  }
  if (text.includes("\u001b")) throw new Error(`help of "${keys[0]}" has an escape code: the terminal table (src/help/terminal.ts) does not colour`);
  const { fits, text: wideText } = wideHelp(template);
  for (const key of keys) [commands[key], templates[key], wide[key]] = [text, template, { fits: Number.isFinite(fits) ? fits : null, text: wideText }];
  for (const sub of cmd.commands) {
    const names = [sub.name(), ...sub.aliases()];
    walk(sub, keys.flatMap((k) => names.map((n) => (k ? `${k} ${n}` : n))));
  }
};
walk(program, [""]);
const topics = Object.fromEntries(Object.entries(HELP_TOPICS).map(([name, t]) => [name, t.text]));
writeFileSync(join(root, "dist/help.json"), JSON.stringify({ commands, topics }));
mkdirSync(join(root, "dist/help/tty"), { recursive: true });
for (const [key, w] of Object.entries(wide)) {
  writeFileSync(join(root, "dist/help/tty", `${key ? key.replaceAll(" ", ".") : "@"}.json`), JSON.stringify({ ...w, template: templates[key] }));
}
