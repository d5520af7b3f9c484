/**
 * The interactive loop: list → action menu → action → list, until the user leaves.
 * The caller owns the hold and releases what is left however this returns.
 */
import { writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import type { Envelope } from "../core/envelope.js";
import type { Ui } from "../output/ui.js";
import type { SqsContext } from "../sqs/client.js";
import { findDeadLetterSources } from "../sqs/dlq-sources.js";
import { listQueueUrls, resolveQueue, type QueueHandle } from "../sqs/queues.js";
import { defaultExportPath, deleteSelected, redriveSelected, toNdjson, type Failure, type RedriveTarget } from "./actions.js";
import type { BrowseSelection as Holder } from "../sqs/custody/selection.js";
import { shortId, type ListItem } from "./list.js";
import type { PickerState } from "./picker-state.js";
import { ask, choose, chooseName, confirm, pickMessages, viewMessages, type Screen } from "./prompts.js";

export interface SessionTotals {
  deleted: number;
  moved: number;
  exported: number;
  copied: number;
}

type Action = "view" | "delete" | "redrive" | "export" | "copy" | "back" | "quit";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export class BrowseSession {
  readonly totals: SessionTotals = { deleted: 0, moved: 0, exported: 0, copied: 0 };
  private picker: Partial<PickerState> = {};
  private sources: QueueHandle[] | undefined;
  private readonly byArn = new Map<string, QueueHandle>();

  constructor(
    private readonly sqs: SqsContext,
    private readonly ui: Ui,
    private readonly screen: Screen,
    private readonly queue: QueueHandle,
    private readonly holder: Holder,
    private readonly title: string,
    /** Receives more messages into the hold (new arrivals, FIFO groups now free); returns how many. */
    private readonly receiveMore: () => Promise<number>,
  ) {}

  /** Runs until the user quits (returns) or presses Ctrl-C (throws Leave). */
  async run(): Promise<void> {
    for (;;) {
      // `lost` is read live, so a heartbeat that finds a lapsed hold shows on the open list.
      const holder = this.holder;
      const items: ListItem[] = holder.list().map((m) => ({
        id: m.id,
        envelope: m.envelope,
        get lost() {
          return holder.get(m.id)?.state === "lost";
        },
      }));
      if (items.length === 0) {
        // Acting on a FIFO group's first messages frees the next ones: look once more before giving up.
        if ((await this.receiveMore()) > 0) continue;
        this.ui.info(`Nothing left to browse: every message held was acted on and ${this.queue.name} has no more visible messages.`);
        return;
      }
      const { result, state } = await pickMessages(this.screen, this.title, items, this.picker, (redraw) => this.holder.onLost(redraw));
      // Back at the list later: same search, cursor and selection (acted-on ids drop out).
      this.picker = state;
      if (result.kind === "quit") return;
      if (result.kind === "view") {
        await viewMessages(this.screen, result.ids.map((id) => this.holder.get(id)!.envelope));
        continue;
      }
      if (result.kind === "reload") {
        const n = await this.receiveMore();
        this.ui.info(n > 0 ? `Received ${plural(n, "more message")}.` : "No more messages to receive (or --limit reached).");
        continue;
      }
      const leave = await this.actOn(result.ids);
      if (leave) return;
    }
  }

  /** The action menu for a selection; true when the user chose to leave browse. */
  private async actOn(ids: string[]): Promise<boolean> {
    let last: Action | undefined;
    for (;;) {
      const live = ids.filter((id) => this.holder.get(id)?.state === "held" || this.holder.get(id)?.state === "lost");
      if (live.length === 0) return false;
      const n = live.length;
      const what = n === 1 ? `message ${shortId(live[0]!)}` : `${n} messages`;
      const action = await choose<Action>(
        this.screen,
        `${what}: what now?`,
        [
          { name: "View", value: "view", description: "body (pretty-printed when JSON) and every attribute" },
          { name: `Delete ${plural(n, "message")}…`, value: "delete", description: `delete from ${this.queue.name} (asks first)` },
          { name: `Redrive ${plural(n, "message")}…`, value: "redrive", description: "send to the source queue or another queue, then delete here (asks first)" },
          { name: "Export to a file…", value: "export", description: "write the messages as NDJSON envelopes" },
          { name: `Copy ${n === 1 ? "body" : "bodies"} to stdout`, value: "copy", description: "one body a line on standard output" },
          { name: "Back to the list", value: "back" },
          { name: "Quit", value: "quit", description: "leave browse; every message not acted on becomes visible again" },
        ],
        "back",
        last,
      );
      last = action;
      const envs = live.map((id) => this.holder.get(id)!.envelope);
      switch (action) {
        case "back":
          return false;
        case "quit":
          return true;
        case "view":
          await viewMessages(this.screen, envs);
          continue;
        case "copy":
          for (const e of envs) this.ui.out(e.body);
          this.totals.copied += n;
          this.ui.info(`Copied ${plural(n, "body", "bodies")} to stdout.`);
          continue;
        case "export":
          await this.export(envs);
          continue;
        case "delete":
          if (await this.delete(live)) return false;
          continue;
        case "redrive":
          if (await this.redrive(live)) return false;
          continue;
      }
    }
  }

  private async export(envs: Envelope[]): Promise<void> {
    const answer = await ask(this.screen, `Export ${plural(envs.length, "message")} to file:`, defaultExportPath(this.queue.name, new Date()));
    // The shell would expand ~ in a path typed on the command line; do the same here.
    const path = answer?.trim().replace(/^~(?=$|\/)/, homedir());
    if (!path) {
      this.ui.info("Not exported.");
      return;
    }
    try {
      await writeFile(path, toNdjson(envs), { flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
        this.ui.error(`Could not write ${path}: ${(err as Error).message}`);
        return;
      }
      if (!(await confirm(this.screen, `${path} exists. Overwrite it?`))) {
        this.ui.info("Not exported.");
        return;
      }
      try {
        await writeFile(path, toNdjson(envs));
      } catch (err2) {
        this.ui.error(`Could not write ${path}: ${(err2 as Error).message}`);
        return;
      }
    }
    this.totals.exported += envs.length;
    this.ui.success(`Wrote ${plural(envs.length, "message")} to ${path} (NDJSON envelopes). They are still in ${this.queue.name}.`);
  }

  /** True when something was deleted (back to the list). */
  private async delete(ids: string[]): Promise<boolean> {
    const ok = await confirm(this.screen, `Delete ${plural(ids.length, "message")} from ${this.queue.name}? This cannot be undone.`);
    if (!ok) {
      this.ui.info("Not deleted.");
      return false;
    }
    const out = await deleteSelected(this.sqs, this.holder, ids, this.screen.signal);
    this.totals.deleted += out.deleted.length;
    if (out.refetched.length) this.ui.info(`Received ${plural(out.refetched.length, "message")} again whose hold had lapsed.`);
    if (out.deleted.length) this.ui.success(`Deleted ${plural(out.deleted.length, "message")} from ${this.queue.name}.`);
    this.reportFailures("not deleted", out.failed);
    this.reportMissing("not deleted", out.missing);
    if (out.skipped) this.ui.warn(`Interrupted: ${plural(out.skipped, "message")} not deleted.`);
    return out.deleted.length > 0;
  }

  /** True when something was moved (back to the list). */
  private async redrive(ids: string[]): Promise<boolean> {
    const targets = await this.chooseTargets(ids);
    if (!targets) {
      this.ui.info("Not moved.");
      return false;
    }
    const desc = [...new Set(targets.values())].map((t) => t.name);
    const ok = await confirm(this.screen, `Move ${plural(ids.length, "message")} from ${this.queue.name} to ${desc.join(", ")}?`);
    if (!ok) {
      this.ui.info("Not moved.");
      return false;
    }
    let moved = 0;
    const groups = new Map<RedriveTarget, string[]>();
    for (const id of ids) {
      const t = targets.get(id)!;
      groups.set(t, [...(groups.get(t) ?? []), id]);
    }
    for (const [target, group] of groups) {
      const out = await redriveSelected(this.sqs, this.holder, group, target, this.screen.signal);
      moved += out.moved.length;
      this.totals.moved += out.moved.length;
      if (out.moved.length) this.ui.success(`Moved ${plural(out.moved.length, "message")} to ${target.name}.`);
      this.reportFailures(`not sent to ${target.name} (still in ${this.queue.name})`, out.sendFailed);
      for (const d of out.duplicates) {
        this.ui.warn(`${d.id} was sent to ${target.name} but could not be deleted from ${this.queue.name} (${d.code}): it is in both now; delete it from the list to finish.`);
      }
      if (out.possibleDuplicates) this.ui.warn(`${plural(out.possibleDuplicates, "send")} to ${target.name} had an unknown outcome and ${out.possibleDuplicates === 1 ? "was" : "were"} retried: ${target.name} may hold extra copies${target.fifo ? " (FIFO dedup ids suppress them within 5 minutes)" : ""}.`);
      this.reportMissing(`not moved`, out.missing);
      if (out.skipped) this.ui.warn(`Interrupted: ${plural(out.skipped, "message")} not moved.`);
    }
    return moved > 0;
  }

  /**
   * Where each message goes: its own source queue (DeadLetterQueueSourceArn, or this
   * DLQ's only source), or one queue the user picks. Undefined when the user backs out.
   */
  private async chooseTargets(ids: string[]): Promise<Map<string, RedriveTarget> | undefined> {
    this.sources ??= await this.findSources();
    const envs = ids.map((id) => this.holder.get(id)!.envelope);
    const own: Array<QueueHandle | undefined> = [];
    for (const e of envs) own.push(e.sourceQueueArn ? await this.sourceByArn(e.sourceQueueArn) : this.sources.length === 1 ? this.sources[0] : undefined);
    const choices: Array<{ name: string; value: string; description?: string }> = [];
    if (own.every(Boolean)) {
      const names = [...new Set(own.map((s) => s!.name))];
      choices.push({ name: `Back to ${names.length === 1 ? `its source queue ${names[0]}` : `their source queues (${names.join(", ")})`}`, value: "@source" });
    }
    choices.push({ name: "Another queue…", value: "@pick" }, { name: "Cancel", value: "@cancel" });
    const choice = await choose(this.screen, `Redrive ${plural(ids.length, "message")} to:`, choices, "@cancel");
    if (choice === "@cancel") return undefined;
    if (choice === "@source") return new Map(ids.map((id, i) => [id, own[i]!]));
    const names = (await listQueueUrls(this.sqs)).map((u) => u.replace(/\/$/, "").split("/").at(-1)!).filter((n) => n !== this.queue.name).sort();
    if (names.length === 0) {
      this.ui.warn("There is no other queue to redrive to.");
      return undefined;
    }
    const name = await chooseName(this.screen, "Target queue (type to search):", names);
    if (!name) return undefined;
    const q = await resolveQueue(this.sqs, name, "target");
    const target: RedriveTarget = { name: q.name, url: q.url, fifo: q.fifo };
    if (target.fifo && envs.some((e) => !e.groupId)) {
      this.ui.warn(`${q.name} is a FIFO queue and some of these messages have no group id: each of those goes in a group of its own (its MessageId), as dlq redrive does.`);
    }
    return new Map(ids.map((id) => [id, target]));
  }

  /** The queue a message's DeadLetterQueueSourceArn names, looked up once; undefined when it is gone. */
  private async sourceByArn(arn: string): Promise<QueueHandle | undefined> {
    const known = this.sources?.find((s) => s.arn === arn) ?? this.byArn.get(arn);
    if (known) return known;
    try {
      const q = await resolveQueue(this.sqs, arn, "source queue");
      this.byArn.set(arn, q);
      return q;
    } catch {
      return undefined;
    }
  }

  private async findSources(): Promise<QueueHandle[]> {
    const found = await findDeadLetterSources(this.sqs, this.queue);
    return found.map((s) => ({ name: s.name, url: s.url, arn: s.arn, fifo: s.name.endsWith(".fifo") }));
  }

  private reportFailures(what: string, failed: Failure[]): void {
    for (const f of failed) this.ui.warn(`${f.id} ${what}: ${f.code}${f.message ? ` (${f.message})` : ""}`);
  }

  private reportMissing(what: string, missing: string[]): void {
    for (const id of missing) {
      this.ui.warn(`${id} ${what}: this session's hold on it ran out and it could not be received again (a consumer may have it).`);
    }
  }
}
