/**
 * What the reading commands (receive, tail, export, dlq inspect) share on top of the
 * custody engine: a --filter that cannot fail silently, and the error for a stdout
 * that stopped accepting lines.
 */
import type { Envelope } from "../core/envelope.js";
import { compileFilter } from "../core/filter.js";
import { OperationError, UsageError } from "../errors.js";

/**
 * A compiled --filter that, when it throws on a message at run time (e.g. starts_with on
 * a number), ends the command with a usage error naming the filter and the message id
 * (exit 2). Callers hold messages in a Holder whose close() releases them.
 */
export function guardedFilter(source: string, flag = "--filter"): (env: Envelope) => boolean {
  const test = compileFilter(source, flag);
  return (env) => {
    try {
      return test(env);
    } catch (err) {
      throw new UsageError(
        `${flag} ${JSON.stringify(source)} failed on message ${env.messageId ?? "(no id)"}: ${(err as Error).message}`,
        "Fix the expression (see 'sqsctl help filters'); every message this run held was released.",
      );
    }
  };
}

/** A write to stdout failed (a full disk, a closed pipe): nothing after it is deleted. */
export function stdoutFailed(err: unknown, done: string): OperationError {
  const code = (err as NodeJS.ErrnoException)?.code ?? (err as Error)?.message ?? String(err);
  return new OperationError(`stdout stopped accepting output (${code}): ${done}.`, "Messages not written were released and are visible in the queue again.");
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
