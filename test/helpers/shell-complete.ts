import { spawnSync } from "node:child_process";
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
  const file = scriptFile(script);
  const quoted = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(" ");
  const program = [
    `source '${file}'`,
    `COMP_WORDS=(${quoted})`,
    `COMP_CWORD=${words.length - 1}`,
    `COMP_LINE="\${COMP_WORDS[*]}"`,
    `COMP_POINT=\${#COMP_LINE}`,
    `fn=$(complete -p ${words[0]} | sed -E 's/.*-F ([^ ]+).*/\\1/')`,
    `"$fn"`,
    `printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join("\n");
  const r = spawnSync("bash", ["--norc", "--noprofile", "-c", program], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    timeout: 20_000,
  });
  if (r.status !== 0) throw new Error(`bash completion failed (${r.status}): ${r.stderr}`);
  return r.stdout.split("\n").filter(Boolean);
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
