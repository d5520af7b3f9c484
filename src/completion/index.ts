import type { Command } from "commander";
import { bashScript } from "./bash.js";
import { fishScript } from "./fish.js";
import { specFromProgram } from "./spec.js";
import { zshScript } from "./zsh.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

/** Where each shell's script is checked in, relative to the repository root. */
export const COMPLETION_FILES: Record<Shell, string> = {
  bash: "completions/sqsctl.bash",
  zsh: "completions/_sqsctl",
  fish: "completions/sqsctl.fish",
};

/** The completion script for `shell`, generated from the Commander tree `program`. */
export function completionScript(shell: Shell, program: Command, helpTopics: readonly string[] = []): string {
  const spec = specFromProgram(program, helpTopics);
  const bin = program.name();
  switch (shell) {
    case "bash":
      return bashScript(spec, bin);
    case "zsh":
      return zshScript(spec, bin);
    case "fish":
      return fishScript(spec, bin);
  }
}
