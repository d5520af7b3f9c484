import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { BIN } from "../helpers/cli.js";

const TRACE = fileURLToPath(new URL("../helpers/trace-imports.mjs", import.meta.url));

function loadedModules(args: string[]): { code: number | null; modules: string[]; stdout: string } {
  const file = join(mkdtempSync(join(tmpdir(), "sqsctl-trace-")), "imports.txt");
  const r = spawnSync(process.execPath, ["--import", TRACE, BIN, ...args], {
    env: { PATH: process.env.PATH, SQSCTL_TRACE_IMPORTS: file },
    encoding: "utf8",
  });
  let modules: string[] = [];
  try {
    modules = readFileSync(file, "utf8").trim().split("\n");
  } catch {
    modules = [];
  }
  return { code: r.status, modules, stdout: r.stdout };
}

const HEAVY = [/@aws-sdk\//, /@smithy\//, /@inquirer\//, /\/ora\//, /cli-table3/];

describe("start-up stays lazy", () => {
  test.each([["--help"], ["--version"], ["queues", "--help"], ["help", "exit-codes"]])("sqsctl %s loads no SDK, inquirer or ora", (...args) => {
    const r = loadedModules(args);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
    // The trace itself must have worked, or this test proves nothing.
    expect(r.modules.some((m) => m.endsWith("bin/sqsctl.js"))).toBe(true);
    for (const heavy of HEAVY) expect(r.modules.filter((m) => heavy.test(m))).toEqual([]);
  });

  test("a real command does load the SDK (the trace sees it)", () => {
    const r = loadedModules(["queues", "list", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"]);
    expect(r.modules.some((m) => /@aws-sdk\/client-sqs/.test(m))).toBe(true);
  });
});
