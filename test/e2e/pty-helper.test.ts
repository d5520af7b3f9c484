import { expect, test } from "vitest";
import { runInPty } from "../helpers/pty.js";

/**
 * The pty helper itself. A test reads the screen right after `exited()` ("Released 5
 * messages"), so by then the screen must show every byte the process wrote. Two things
 * broke that at random under load: node-pty on Linux dropping the last bytes of a process
 * that writes and exits at once (the master saw the hang-up first), and the headless xterm
 * parsing what it was given later, after the exit was reported.
 */
test("exited() resolves only once the screen shows everything the process wrote", async () => {
  for (let i = 0; i < 5; i++) {
    // About 50 kB written in one go just before the process exits; "fi" is its last line.
    const run = runInPty(["completion", "zsh"], { env: {} });
    expect(await run.exited()).toBe(0);
    expect(run.written()).toBeGreaterThan(40_000);
    expect(run.output().endsWith("fi\r\n")).toBe(true);
    expect(run.screen().split("\n").at(-1)).toBe("fi");
  }
});
