import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

test('no "message(s)": plurals go through the one helper (core/text.ts plural)', () => {
  const src = new URL("../../src", import.meta.url).pathname;
  const offenders = files(src).flatMap((f) =>
    readFileSync(f, "utf8")
      .split("\n")
      .map((line, i) => ({ line, at: `${f.slice(src.length + 1)}:${i + 1}` }))
      // "message(s) could", "line(s) in": a word, "(s)", then more words (not a call such as toggle(s)).
      .filter(({ line }) => /[a-z]{3,}\(s\) [a-z]/.test(line) && !line.trim().startsWith("*"))
      .map(({ at, line }) => `${at}: ${line.trim()}`),
  );
  expect(offenders).toEqual([]);
});
