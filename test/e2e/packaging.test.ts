import { execFile, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { BIN, runCli } from "../helpers/cli.js";

/**
 * What users install: the packed file list, the Node version check, and the state
 * folder named in --help.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  engines: { node: string };
  dependencies: Record<string, string>;
};

describe("npm pack", () => {
  test("ships bin, dist, completions, README and LICENSE: no source maps, no dist/demo, no sources or tests", async () => {
    // --ignore-scripts: the built dist/ is packed as it is (prepare would rebuild it).
    const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT });
    const files = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    for (const needed of ["LICENSE", "README.md", "package.json", "bin/sqsctl.js", "dist/main.js", "dist/completion/fast-path.js", "dist/help.json", "completions/sqsctl.bash"]) {
      expect(files).toContain(needed);
    }
    // dist/ is the esbuild bundle: main.js, its chunks and the build-time help tables
    // (help.json; help/tty/<command>.json for terminals).
    expect(files.filter((f) => f.startsWith("dist/") && !f.endsWith(".js") && f !== "dist/help.json" && !/^dist\/help\/tty\/[@a-z0-9._-]+\.json$/.test(f))).toEqual([]);
    expect(files).toContain("dist/help/tty/@.json");
    expect(files).toContain("dist/help/terminal.js");
    expect(files.filter((f) => f.startsWith("dist/chunk-")).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files.filter((f) => f.startsWith("dist/demo/"))).toEqual([]);
    expect(files.filter((f) => /^(src|test|bench|scripts)\//.test(f))).toEqual([]);
    // No shipped file points at a source map that is not shipped.
    for (const f of files.filter((p) => p.endsWith(".js"))) {
      expect(readFileSync(`${ROOT}/${f}`, "utf8"), f).not.toMatch(/sourceMappingURL=/);
    }
    expect(readFileSync(`${ROOT}/LICENSE`, "utf8")).toMatch(/^MIT License/);
  });

  test("engines is what every runtime dependency supports (@inquirer/prompts sets the floor)", () => {
    const inquirer = JSON.parse(readFileSync(`${ROOT}/node_modules/@inquirer/prompts/package.json`, "utf8")) as { engines: { node: string } };
    expect(pkg.engines.node).toBe("^22.22.2 || ^24.15.0 || >=26.0.0");
    expect(inquirer.engines.node).toBe("^22.22.2 || ^24.15.0 || >=26.0.0");
  });
});

describe("Node version check", () => {
  // The machine's /usr/bin/node is Node 20 here; the check runs only where an older Node exists.
  const oldNode = ["/usr/bin/node", "/usr/local/bin/node"].find((p) => {
    if (!existsSync(p)) return false;
    const [major, minor] = execFileSync(p, ["-p", "process.versions.node"], { encoding: "utf8" }).trim().split(".").map(Number);
    return major! < 22 || (major === 22 && minor! < 22);
  });

  test.skipIf(!oldNode)("an unsupported Node gets one line naming the version needed, exit 2", async () => {
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(oldNode!, [BIN, "--local", "queues", "list"], (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: sqsctl needs Node\.js 24\.15 or newer \(or 22\.22\.2\+ on 22\.x, or 26\+\); this is v\d+/);
  });

  test("the supported Node runs it", async () => {
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
  });
});

describe("one state folder", () => {
  test("is named in --help", async () => {
    const r = await runCli(["--help"]);
    expect(r.stdout).toContain("$XDG_STATE_HOME/sqsctl (default ~/.local/state/sqsctl)");
  });
});
