import type { Command } from "commander";
import type { Runtime } from "./runtime.js";

export function registerMessageCommands(_program: Command, _rt: Runtime): void {
  // Filled in by the issue that builds these commands.
}
