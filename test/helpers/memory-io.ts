import { PassThrough } from "node:stream";
import type { Io } from "../../src/output/io.js";

/** In-memory streams for running the CLI in-process: no TTY unless asked. */
export function memoryIo(env: Record<string, string | undefined> = {}, opts: { tty?: boolean } = {}) {
  let stdout = "";
  let stderr = "";
  const out = new PassThrough();
  const err = new PassThrough();
  out.on("data", (d: Buffer) => (stdout += d.toString()));
  err.on("data", (d: Buffer) => (stderr += d.toString()));
  const stdin = new PassThrough();
  stdin.end();
  Object.assign(out, { isTTY: opts.tty === true, columns: 120 });
  Object.assign(err, { isTTY: opts.tty === true });
  Object.assign(stdin, { isTTY: opts.tty === true });
  const io: Io = { stdout: out as unknown as Io["stdout"], stderr: err as unknown as Io["stderr"], stdin, env };
  return {
    io,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}
