import { cancelMoveTask } from "../../sqs/redrive/native.js";
import type { CommandContext } from "../context.js";
import { plural } from "./render.js";

export default async function cancel(ctx: CommandContext, [handle]: string[]): Promise<void> {
  const { ui } = ctx;
  const sqs = await ctx.sqs();
  const moved = await cancelMoveTask(sqs, handle!);
  if (ui.format !== "table") ui.json({ cancelled: handle, moved });
  else ui.success(`cancelled the move task; ${plural(moved, "message")} had moved: they stay moved, the rest stay in the DLQ.`);
}
