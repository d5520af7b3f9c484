import type { CommandContext } from "../context.js";
import { runSendBatch, type SendBatchOptions } from "./send-batch.js";

/** `import`: send-batch of an export file, envelopes only (attributes, group and dedup ids kept). */
export default async function importMessages(ctx: CommandContext, [ref, file]: string[], opts: SendBatchOptions): Promise<void> {
  await runSendBatch(ctx, ref!, file, { ...opts, raw: false }, "import");
}
