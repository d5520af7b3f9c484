/**
 * Warnings about JMESPath expressions that only show once messages have been looked
 * at (a compared field that no message has). Kept apart from filter.ts so the command
 * runner can flush them without loading jmespath. Pure: the runner supplies the sink.
 */
export interface PendingNote {
  /** The warning, or undefined when there is nothing (left) to say. */
  take(): string | undefined;
}

let sink: ((text: string) => void) | undefined;
const pending = new Set<PendingNote>();

/** Where warnings raised while messages stream go (the command's Ui); undefined to stop. */
export function setExpressionSink(fn: ((text: string) => void) | undefined): void {
  sink = fn;
}

export function addPending(note: PendingNote): void {
  pending.add(note);
}

/** Says a warning now (a long-running command such as tail should not wait for its end). */
export function sayNow(text: string): void {
  sink?.(text);
}

/** At the end of a command: every warning not said yet. */
export function flushExpressionNotes(): string[] {
  const out: string[] = [];
  for (const note of pending) {
    const text = note.take();
    if (text) out.push(text);
  }
  pending.clear();
  return out;
}
