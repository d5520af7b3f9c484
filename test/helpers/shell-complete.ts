import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN } from "./cli.js";

export function hasShell(shell: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0;
}

/** Writes a script to a temporary file and returns its path. */
export function scriptFile(text: string, name = "completion"): string {
  const file = join(mkdtempSync(join(tmpdir(), "sqsctl-comp-")), name);
  writeFileSync(file, text);
  return file;
}

/**
 * Runs the bash completion function the way readline does: COMP_WORDS and COMP_CWORD
 * for the words typed (the last one is the word being completed), then prints COMPREPLY
 * one a line.
 */
export function bashComplete(script: string, words: string[], env: Record<string, string> = {}): string[] {
  const r = spawnSync("bash", ["--norc", "--noprofile", "-c", bashProgram(script, words)], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    timeout: 20_000,
  });
  if (r.status !== 0) throw new Error(`bash completion failed (${r.status}): ${r.stderr}`);
  return r.stdout.split("\n").filter(Boolean);
}

/**
 * The same without blocking the event loop: needed when the SQS server the completion
 * asks runs inside the test process.
 */
export function bashCompleteAsync(script: string, words: string[], env: Record<string, string> = {}): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["--norc", "--noprofile", "-c", bashProgram(script, words)], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out.split("\n").filter(Boolean)) : reject(new Error(`bash completion failed (${code}): ${err}`))));
  });
}

function bashProgram(script: string, words: string[]): string {
  const file = scriptFile(script);
  const quoted = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(" ");
  return [
    `source '${file}'`,
    `COMP_WORDS=(${quoted})`,
    `COMP_CWORD=${words.length - 1}`,
    `COMP_LINE="\${COMP_WORDS[*]}"`,
    `COMP_POINT=\${#COMP_LINE}`,
    `fn=$(complete -p ${words[0]} | sed -E 's/.*-F ([^ ]+).*/\\1/')`,
    `"$fn"`,
    `printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join("\n");
}

/** `complete -C LINE` in fish: what fish would offer for LINE, as "candidate\tdescription" lines. */
export function fishComplete(script: string, line: string, env: Record<string, string> = {}): string[] {
  const file = scriptFile(script, "sqsctl.fish");
  const r = spawnSync("fish", ["--no-config", "-c", `source '${file}'; complete -C '${line.replace(/'/g, "\\'")}'`], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    timeout: 20_000,
  });
  if (r.status !== 0) throw new Error(`fish completion failed (${r.status}): ${r.stderr}`);
  return r.stdout.split("\n").filter(Boolean).map((l) => l.split("\t")[0]!);
}

/** A directory with an executable `sqsctl` that runs the built CLI on this Node, for PATH. */
export function sqsctlOnPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "sqsctl-bin-"));
  const file = join(dir, "sqsctl");
  writeFileSync(file, `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(file, 0o755);
  return dir;
}
