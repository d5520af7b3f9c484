import type { LineSet } from "../../core/batch.js";
import { UsageError } from "../../errors.js";
import { count } from "../../output/progress.js";
import {
  accountOfArn,
  bindingMismatch,
  Journal,
  JournalFormatError,
  readJournal,
  SendJournal,
  sendJournalPath,
  sendState,
  type JournalBinding,
} from "../../sqs/custody/journal.js";
import type { CommandContext } from "../context.js";
import type { SendPass } from "./send-pass.js";

export interface Resume {
  journal: SendJournal | undefined;
  path: string | undefined;
  /** Lines an earlier run confirmed: not sent again. */
  skip: LineSet | undefined;
  /** Lines an earlier run may have sent (outcome unknown, or in an unreadable record). */
  possibleDuplicates: number;
  /** The earlier run finished: nothing to send. */
  finished: Record<string, unknown> | undefined;
}

/** The journal: resume from it, or start it; bound to endpoint + account + queue + input. */
export function openJournal(ctx: CommandContext, p: SendPass): Resume {
  const { ui } = ctx;
  const { v, opts } = p;
  if (opts.journal === false) return { journal: undefined, path: undefined, skip: undefined, possibleDuplicates: 0, finished: undefined };
  const binding: JournalBinding = { kind: "send-batch", endpoint: p.sqs.endpoint, account: accountOfArn(p.queue.arn), queue: p.queue.url };
  const path = opts.journal || sendJournalPath(ctx.io.env, binding, v.sha256);
  let previous;
  try {
    previous = readJournal(path);
  } catch (err) {
    if (!(err instanceof JournalFormatError) || !opts.restart) {
      throw new UsageError(`Cannot use the journal ${path}: ${(err as Error).message}`, "Pass another --journal path, or --restart to overwrite it.");
    }
  }
  const elsewhere = previous ? bindingMismatch(previous.header, binding) : "";
  const sameInput = previous !== undefined && !elsewhere && previous.header.meta.sha256 === v.sha256;
  if (previous && !sameInput && !opts.restart) {
    throw new UsageError(
      `The journal ${path} belongs to ${elsewhere ? `another place (${elsewhere})` : "a different input"}: it is never resumed across them.`,
      "Use another --journal path, or --restart to overwrite it.",
    );
  }
  const state = sameInput ? sendState(previous!) : undefined;
  const r: Resume = { journal: undefined, path, skip: undefined, possibleDuplicates: 0, finished: undefined };
  if (state?.finished && opts.resume) {
    r.finished = state.finished;
    return r;
  }
  if (state?.finished && !opts.restart) {
    ui.info(`note: this same input was sent in full to ${p.queue.name} before (journal ${path}); sending it again.`);
  } else if (state && !opts.resume && !opts.restart) {
    throw new UsageError(
      `An earlier send of this same input to ${p.queue.name} did not finish: ${count(state.confirmed.size)} of ${count(v.entries)} messages were confirmed (journal ${path}).`,
      "Add --resume to send only the rest, or --restart to send everything again.",
    );
  }
  const resuming = Boolean(state && !state.finished && opts.resume);
  if (resuming) {
    r.skip = state!.confirmed;
    const remaining = v.entries - state!.confirmed.size;
    // An unreadable record may have named up to a batch of lines: each may be in the queue already.
    // plus every attempt the earlier run journaled as of unknown outcome (a kill hides nothing).
    r.possibleDuplicates = Math.min(remaining, state!.unknown.size + 10 * state!.unreadable) + state!.ambiguous;
    ui.info(`resuming: ${count(state!.confirmed.size)} messages were already confirmed; sending the other ${count(remaining)}.`);
    if (state!.unreadable) ui.warn(`${count(state!.unreadable)} journal record${state!.unreadable === 1 ? " was" : "s were"} unreadable (torn or damaged): ${state!.unreadable === 1 ? "its" : "their"} lines are treated as not confirmed and sent again.`);
    if (r.possibleDuplicates) {
      ui.warn(`up to ${count(r.possibleDuplicates)} message${r.possibleDuplicates === 1 ? "" : "s"} may have reached ${p.queue.name} in the earlier run without a record: sent again, they may be duplicates${p.rules.fifo ? " (FIFO dedup ids suppress them within 5 minutes)" : ""}.`);
    }
  } else if (opts.resume && !state) {
    ui.info(`nothing to resume (no journal at ${path}): sending everything.`);
  }
  // SQSCTL_JOURNAL_FSYNC_MS (undocumented) exists for bench/send-batch.mjs to compare fsync policies.
  const fsyncMs = Number(ctx.io.env.SQSCTL_JOURNAL_FSYNC_MS ?? 250);
  try {
    r.journal = new SendJournal(Journal.open(path, binding, { sha256: v.sha256, lines: v.lines, entries: v.entries }, { fresh: !resuming, fsyncMs: Number.isFinite(fsyncMs) ? fsyncMs : 250 }));
  } catch (err) {
    throw new UsageError(`Cannot write the journal ${path}: ${(err as Error).message}`, "Pass --journal FILE somewhere writable, or --no-journal.");
  }
  ui.info(`journal: ${path} (re-run with --resume after an interruption)`);
  return r;
}

