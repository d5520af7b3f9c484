import { changeJson, renderChanges, type Change } from "../../core/update-plan.js";
import { applyQueueChanges } from "../../sqs/ensure-queue.js";
import type { SqsContext } from "../../sqs/client.js";
import type { QueueHandle } from "../../sqs/queues.js";
import type { CommandContext } from "../context.js";

export interface ApplyOptions {
  dryRun?: boolean | undefined;
  yes?: boolean | undefined;
  /** Work done before the settings are set (creating a DLQ); skipped on a dry run. */
  before?: () => Promise<void>;
  /** Extra lines for the plan ("create queue orders-dlq"). */
  preamble?: string[];
}

/**
 * The one flow every queue-settings change goes through (update, allow, deny): show
 * the before/after of only what changes; nothing to change is a no-op (exit 0); a
 * dry run stops after the diff; a risky change confirms on a terminal and needs
 * --yes otherwise (exit 2); then applies.
 */
export async function applyWithDiff(ctx: CommandContext, sqs: SqsContext, queue: QueueHandle, changes: Change[], opts: ApplyOptions): Promise<void> {
  const { ui } = ctx;
  const pre = opts.preamble ?? [];
  const json = (applied: boolean) =>
    ui.json({ queue: queue.name, url: queue.url, changes: changes.map(changeJson), ...(pre.length ? { also: pre } : {}), dryRun: opts.dryRun === true, applied });
  if (changes.length === 0 && pre.length === 0) {
    if (ui.format !== "table") json(false);
    else ui.out(`No changes: ${queue.name} already has these settings.`);
    return;
  }
  if (ui.format === "table") {
    ui.out(`${opts.dryRun ? "Would change" : "Changes to"} ${ui.color.bold(queue.name)}:`);
    for (const line of pre) ui.out(`  ${line}`);
    for (const line of renderChanges(changes)) {
      const painted = line.trimStart().startsWith("! ") ? ui.color.yellow(line) : line.trimStart().startsWith("- ") ? ui.color.red(line) : line.trimStart().startsWith("+ ") ? ui.color.green(line) : line;
      ui.out(`  ${painted}`);
    }
  }
  if (opts.dryRun) {
    if (ui.format !== "table") json(false);
    else ui.info("Dry run: nothing was changed.");
    return;
  }
  const risky = changes.filter((c) => c.risk);
  if (risky.length) {
    const ok = await ui.confirm(`Apply ${risky.length === 1 ? "this risky change" : `these ${risky.length} risky changes`} to ${queue.name}?`, {
      yes: opts.yes,
      action: `make a risky change to queue ${queue.name} (${risky.map((c) => c.risk!.split(":")[0]).join("; ")})`,
    });
    if (!ok) {
      ui.info("Nothing was changed.");
      return;
    }
  }
  await opts.before?.();
  await applyQueueChanges(sqs, queue.url, changes, queue.name);
  if (ui.format !== "table") json(true);
  else ui.success(`Updated ${queue.name} (${changes.length} setting${changes.length === 1 ? "" : "s"}).`);
}
