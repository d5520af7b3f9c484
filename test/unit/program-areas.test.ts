/**
 * A run builds only the area of the Commander tree its command lives in (src/program.ts,
 * areaFor): the table that says which area holds which top-level command must match the
 * full tree, and a partial tree must print the same help and parse the same as the full one.
 */
import { PassThrough } from "node:stream";
import { describe, expect, test } from "vitest";
import type { Command } from "commander";
import { AREA_OF, areaFor, buildProgram } from "../../src/program.js";

const io = () => ({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} }) as never;
const build = (argv?: string[]) => buildProgram({ io: io(), signal: new AbortController().signal }, argv);

function helpOf(cmd: Command): string {
  let text = "";
  cmd.configureOutput({ writeOut: (s) => (text += s), getOutHelpWidth: () => 80, getOutHasColors: () => false });
  cmd.outputHelp();
  return text;
}

function walk(cmd: Command, path: string[] = []): Array<[string[], Command]> {
  return cmd.commands.flatMap((c) => [[[...path, c.name()], c] as [string[], Command], ...walk(c, [...path, c.name()])]);
}

const full = build();
const topNames = full.commands.filter((c) => c.name() !== "help").flatMap((c) => [c.name(), ...c.aliases()]);

describe("building only the area argv needs", () => {
  test("every top-level command and alias (but help) has an area, and nothing else does", () => {
    expect(Object.keys(AREA_OF).sort()).toEqual([...topNames].sort());
  });

  test.each(topNames)("the area built for '%s' holds it, with the same help as the full tree, for every subcommand", (name) => {
    const partial = build([name]);
    expect(partial.commands.length).toBeLessThan(full.commands.length);
    const top = partial.commands.find((c) => c.name() === name || c.aliases().includes(name));
    expect(top).toBeDefined();
    const fullTop = full.commands.find((c) => c === full.commands.find((f) => f.name() === top!.name()))!;
    expect(helpOf(top!)).toBe(helpOf(fullTop));
    const fullSubs = new Map(walk(fullTop).map(([p, c]) => [p.join(" "), c]));
    for (const [p, c] of walk(top!)) expect(helpOf(c), p.join(" ")).toBe(helpOf(fullSubs.get(p.join(" "))!));
    expect(walk(top!).length).toBe(fullSubs.size);
  });

  test("the command word is found past global options and their values", () => {
    expect(areaFor(["--region", "dlq", "queues", "list"])).toBe(AREA_OF.queues);
    expect(areaFor(["-o", "json", "--local", "dlq", "list"])).toBe(AREA_OF.dlq);
    expect(areaFor(["--query=send", "-q", "send", "orders", "hi"])).toBe(AREA_OF.send);
  });

  test("no command, an unknown word, help, or '--' get the whole tree", () => {
    for (const argv of [[], ["--help"], ["qeueus", "list"], ["help", "dlq"], ["--", "dlq"], ["-qo", "json", "dlq"]]) {
      expect(areaFor(argv), argv.join(" ")).toBeUndefined();
      expect(build(argv).commands.length).toBe(full.commands.length);
    }
  });

  test("a typo still gets Commander's suggestion from every command name", async () => {
    const out = new PassThrough();
    let err = "";
    const program = buildProgram({ io: { stdout: out, stderr: { write: (s: string) => ((err += s), true) }, stdin: new PassThrough(), env: {} } as never, signal: new AbortController().signal }, ["sned", "orders", "hi"]);
    await expect(program.parseAsync(["sned", "orders", "hi"], { from: "user" })).rejects.toMatchObject({ code: "commander.unknownCommand" });
    expect(err).toContain("(Did you mean send?)");
  });
});
