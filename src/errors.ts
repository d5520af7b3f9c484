/**
 * Typed errors that commands throw. Only src/main.ts turns them into exit codes, so a
 * command never calls process.exit and tests can assert on the error itself.
 */

/** Documented exit codes (README, `sqsctl help exit-codes`). */
export const ExitCode = {
  Ok: 0,
  /** The operation failed, including partial failure (some messages not sent or moved). */
  Failure: 1,
  /** Usage error or invalid input; also a destructive command without a TTY and without --yes. */
  Usage: 2,
  /** No usable credentials, or access denied. */
  Auth: 4,
  /** Interrupted by Ctrl-C / SIGTERM. */
  Interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class SqsctlError extends Error {
  readonly exitCode: ExitCodeValue;
  /** One line telling the user what to try next. */
  readonly hint: string | undefined;

  constructor(message: string, exitCode: ExitCodeValue, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Bad flags, bad input files, missing --yes: nothing was changed. Exit 2. */
export class UsageError extends SqsctlError {
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Usage, hint, options);
  }
}

/** The operation ran and failed, wholly or partly. Exit 1. */
export class OperationError extends SqsctlError {
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Failure, hint, options);
  }
}

/** Credentials missing or access denied. Exit 4. */
export class AuthError extends SqsctlError {
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Auth, hint, options);
  }
}

/** The user interrupted; whatever was in hand has been finished or released. Exit 130. */
export class InterruptedError extends SqsctlError {
  constructor(message = "Interrupted.", hint?: string) {
    super(message, ExitCode.Interrupted, hint);
  }
}

/**
 * The user answered "no" to a confirmation (or typed the wrong name): nothing was done.
 * Exit 1, so `sqsctl purge q && next-step` stops; Ctrl-C at the prompt is an
 * InterruptedError (130) instead.
 */
export class DeclinedError extends OperationError {}

/**
 * Thrown by a command that already printed its result but must still exit non-zero
 * (a partial failure whose summary is on stdout). main prints only the message.
 */
export class PartialFailure extends OperationError {}
