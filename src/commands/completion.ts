import { completionScript, type Shell } from "../completion/index.js";
import { HELP_TOPICS } from "../help/topics.js";
import type { CommandContext } from "./context.js";

/** `sqsctl completion <shell>`: the script, generated from this very command tree. */
export default async function completion(ctx: CommandContext, [shell]: string[]): Promise<void> {
  const { buildProgram } = await import("../program.js");
  const program = buildProgram({ io: ctx.io, signal: ctx.signal });
  ctx.io.stdout.write(completionScript(shell as Shell, program, Object.keys(HELP_TOPICS)));
}
