import { homedir } from "node:os";
import { join } from "node:path";

/**
 * THE one folder where sqsctl keeps state between runs (journals, the queue-name cache
 * for completion): $XDG_STATE_HOME/sqsctl, or ~/.local/state/sqsctl as the XDG base
 * directory spec defaults it. Every module that writes state takes its path from here.
 */
export function stateDir(env: Record<string, string | undefined>): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith("/") ? env.XDG_STATE_HOME : join(env.HOME || homedir(), ".local", "state");
  return join(base, "sqsctl");
}

/** How --help names the folder (the spec's rule, not this machine's path). */
export const STATE_DIR_HELP = "$XDG_STATE_HOME/sqsctl (default ~/.local/state/sqsctl)";
