import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { BIN, runCli } from "../helpers/cli.js";

/** Starts `sqsctl local` as a real subprocess and waits for its JSON announcement. */
async function startLocal(extra: string[] = []) {
  const child = spawn(process.execPath, [BIN, "local", "--port", "0", "-o", "ndjson", ...extra], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdout.setEncoding("utf8");
  const info = await new Promise<{ endpoint: string; host: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sqsctl local did not start: ${stderr}`)), 20_000);
    child.stdout.on("data", (d: string) => {
      stdout += d;
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.on("exit", (code) => reject(new Error(`sqsctl local exited ${code}: ${stderr}`)));
  });
  return { child, info, stderr: () => stderr };
}

describe("sqsctl local", () => {
  test.each(["SIGINT", "SIGTERM"] as const)("serves on loopback and stops cleanly on %s", async (signal) => {
    // GIVEN a running local server
    const { child, info, stderr } = await startLocal();
    expect(info.host).toBe("127.0.0.1");
    expect(info.endpoint).toBe(`http://127.0.0.1:${info.port}`);
    // WHEN another sqsctl uses it through --local and SQSCTL_LOCAL_PORT
    const env = { SQSCTL_LOCAL_PORT: String(info.port) };
    const created = await runCli(["--local", "queues", "create", "hello"], { env });
    expect(created.code, created.stderr).toBe(0);
    const listed = await runCli(["--local", "queues", "list", "-o", "json"], { env });
    expect((JSON.parse(listed.stdout) as Array<{ name: string }>).map((q) => q.name)).toEqual(["hello"]);
    // THEN a signal stops it with exit 0
    child.kill(signal);
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(0);
    expect(stderr()).toContain("Server stopped.");
    // and the port is closed
    const after = await runCli(["--local", "queues", "list"], { env });
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("Is the embedded server running?");
  });

  test("--data-dir keeps queues across restarts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sqsctl-local-"));
    const first = await startLocal(["--data-dir", dir]);
    const env1 = { SQSCTL_LOCAL_PORT: String(first.info.port) };
    expect((await runCli(["--local", "queues", "create", "kept"], { env: env1 })).code).toBe(0);
    first.child.kill("SIGTERM");
    await once(first.child, "exit");

    const second = await startLocal(["--data-dir", dir]);
    const listed = await runCli(["--local", "queues", "list", "-o", "json"], { env: { SQSCTL_LOCAL_PORT: String(second.info.port) } });
    second.child.kill("SIGTERM");
    await once(second.child, "exit");
    expect((JSON.parse(listed.stdout) as Array<{ name: string }>).map((q) => q.name)).toEqual(["kept"]);
  });

  test("a port in use is a clear error", async () => {
    const first = await startLocal();
    const r = await runCli(["local", "--port", String(first.info.port)]);
    first.child.kill("SIGTERM");
    await once(first.child, "exit");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Port ${first.info.port} on 127.0.0.1 is already in use`);
  });

  test("an unknown seed is a usage error before anything starts", async () => {
    const r = await runCli(["local", "--seed", "nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--seed: no scene "nope"');
  });
});
