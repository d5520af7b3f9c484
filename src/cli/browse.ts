import type { Command } from "commander";
import type { Runtime } from "./runtime.js";

export function registerBrowseCommand(_program: Command, _rt: Runtime): void {
  // Filled in by the issue that builds these commands.
}
