import { plural } from "../../core/text.js";
import { PartialFailure, InterruptedError, UsageError } from "../../errors.js";
import { deleteByIds } from "../../sqs/find-messages.js";
import { deleteHandles } from "../../sqs/messages.js";
import { resolveQueue } from "../../sqs/queues.js";
import { durationFlag, Limits } from "../../core/duration.js";
import { peekWarning, READ_INFO_ATTRIBUTES, readInfoOf } from "../../sqs/custody/read-info.js";
import type { CommandContext } from "../context.js";

interface Opts {
  receiptHandle: string[];
  id: string[];
  scanMax: string;
  wait: string;
  yes?: boolean;
}

/** `sqsctl delete Q --receipt-handle H | --id ID`: delete chosen messages from a script. */
export default async function del(ctx: CommandContext, [ref]: string[], opts: Opts): Promise<void> {
  const { ui } = ctx;
  const handles = opts.receiptHandle ?? [];
  const ids = [...new Set(opts.id ?? [])];
  if (handles.length === 0 && ids.length === 0) throw new UsageError("Say which messages: --receipt-handle H (from 'sqsctl receive -o json') or --id MESSAGE_ID.");
  if (handles.length && ids.length) throw new UsageError("--receipt-handle and --id cannot be used together.");
  const scanMax = Number(opts.scanMax);
  if (!Number.isInteger(scanMax) || scanMax < 1) throw new UsageError(`--scan-max: "${opts.scanMax}" must be a whole number of at least 1.`);
  const wait = durationFlag("--wait", opts.wait, { min: 1, max: Limits.wait.max });
  const sqs = await ctx.sqs();
  // The peek guard's attributes come in the same call (the id path needs them below).
  const queue = await resolveQueue(sqs, ref!, "queue", READ_INFO_ATTRIBUTES);
  const n = handles.length || ids.length;
  const ok = await ui.confirm(`Delete ${n} message${n === 1 ? "" : "s"} from ${queue.name}?`, { yes: opts.yes, action: `delete messages from ${queue.name}` });
  if (!ok) {
    ui.info("Nothing was deleted.");
    return;
  }

  if (handles.length) {
    const out = await deleteHandles(sqs, queue.url, handles);
    if (ui.format !== "table") ui.json({ queue: queue.name, deleted: out.ok.length, failed: out.failed.map((f) => ({ receiptHandle: f.receiptHandle, code: f.code })) });
    else ui.out(`${ui.color.green("deleted")} ${out.ok.length} message${out.ok.length === 1 ? "" : "s"} from ${queue.name}`);
    for (const f of out.failed) ui.error(`not deleted (${f.code}): ${f.message || "the receipt handle was refused"}`);
    if (out.failed.length) throw new PartialFailure(`${out.failed.length} of ${plural(handles.length, "receipt handle")} ${out.failed.length === 1 ? "was" : "were"} refused.`, "A receipt handle is valid only until the message is received again; get a fresh one with 'sqsctl receive'.");
    return;
  }

  const warning = peekWarning(queue.name, readInfoOf(queue.url, queue.attributes));
  if (warning) ui.warn(warning);
  ui.info(`Looking for ${ids.length} message${ids.length === 1 ? "" : "s"} in ${queue.name} (at most ${scanMax} scanned; the others are released)…`);
  const r = await deleteByIds(sqs, queue.url, ids, { scanMax, waitSeconds: wait, signal: ctx.signal, label: queue.name });
  if (ctx.signal.aborted) throw new InterruptedError(`Interrupted after scanning ${r.scanned} message(s); nothing was deleted and every message was released.`);
  const failed = [...r.delete.failed, ...r.delete.lapsed.map((id) => ({ id, code: "HoldLapsed" }))];
  if (ui.format !== "table") {
    ui.json({ queue: queue.name, deleted: r.delete.deleted, notFound: r.notFound, failed, scanned: r.scanned, released: r.released.released });
  } else {
    for (const id of r.delete.deleted) ui.out(`${ui.color.green("deleted")}    ${id}`);
    for (const id of r.notFound) ui.out(`${ui.color.yellow("not found")}  ${id}`);
    for (const f of failed) ui.out(`${ui.color.red("failed")}     ${f.id} (${f.code})`);
  }
  ui.info(`Scanned ${r.scanned} message(s); ${r.released.released} released${r.released.keptExhausted ? `, ${r.released.keptExhausted} kept hidden (used their last receive)` : ""}.`);
  if (r.notFound.length && r.fifo) ui.info("On a FIFO queue only the first message of each group can be seen without deleting: a message behind another in its group is not found.");
  if (r.notFound.length || failed.length) {
    throw new PartialFailure(
      `${r.delete.deleted.length} of ${ids.length} deleted; ${r.notFound.length} not found${failed.length ? `, ${failed.length} failed` : ""}.`,
      r.notFound.length ? `Not found means not seen in ${r.scanned} scanned messages (in flight elsewhere, already deleted, or beyond --scan-max).` : undefined,
    );
  }
}
