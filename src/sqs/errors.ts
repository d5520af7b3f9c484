import { AuthError, OperationError, SqsctlError, UsageError } from "../errors.js";

export interface ErrorContext {
  region: string;
  endpoint: string;
  /** The queue as the user named it, when the call was about one queue. */
  queue?: string | undefined;
  local?: boolean;
}

/**
 * Some servers (fauxqs among them) send the legacy `AWS.SimpleQueueService.X` codes;
 * match on the last dotted part so both spellings are one case.
 */
export function errorCode(err: unknown): string {
  const e = err as { name?: string; Code?: string; code?: string; __type?: string };
  const raw = e?.Code ?? e?.name ?? e?.code ?? e?.__type ?? "";
  return String(raw).split(/[.#]/).at(-1) ?? "";
}

const NOT_FOUND = new Set(["QueueDoesNotExist", "NonExistentQueue"]);
const AUTH = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidSecurity",
  "MissingAuthenticationToken",
  "IncompleteSignature",
  "KMS.AccessDeniedException",
]);
const CREDENTIALS_HINT =
  "Provide credentials with --profile NAME (after 'aws configure' or 'aws sso login --profile NAME'), " +
  "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment; for the embedded server use --local.";

/** Turns an SDK or network error into an sqsctl error with a message the user can act on. */
export function mapSdkError(err: unknown, ctx: ErrorContext): SqsctlError {
  if (err instanceof SqsctlError) return err;
  const e = err as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const code = errorCode(err);
  const where = `in region ${ctx.region} at ${ctx.endpoint}`;

  if (NOT_FOUND.has(code)) {
    return new OperationError(
      ctx.queue ? `Queue "${ctx.queue}" does not exist ${where}.` : `Queue does not exist ${where}.`,
      "Check the name with 'sqsctl queues list', or pass the right --region / --endpoint-url (or --local).",
      { cause: err },
    );
  }
  if (e?.name === "CredentialsProviderError" || /Could not load credentials/i.test(e?.message ?? "")) {
    return new AuthError("No AWS credentials found.", CREDENTIALS_HINT, { cause: err });
  }
  if (AUTH.has(code) || e?.$metadata?.httpStatusCode === 403) {
    return new AuthError(
      `Access denied ${where}${ctx.queue ? ` for queue "${ctx.queue}"` : ""}: ${code || "403"}.`,
      code === "ExpiredToken" || code === "ExpiredTokenException"
        ? "Your session has expired: refresh it (e.g. 'aws sso login') and try again."
        : "Check that your credentials are valid and allowed to use this queue; " + CREDENTIALS_HINT,
      { cause: err },
    );
  }
  const sysCode = e?.code ?? (e as { cause?: { code?: string } })?.cause?.code;
  if (sysCode === "ECONNREFUSED" || sysCode === "ENOTFOUND" || sysCode === "EAI_AGAIN" || sysCode === "ECONNRESET") {
    return new OperationError(
      `Could not reach the SQS endpoint ${ctx.endpoint} (${sysCode}).`,
      ctx.local
        ? "Is the embedded server running? Start it with 'sqsctl local' in another terminal."
        : "Check the endpoint, your network, and --region / --endpoint-url.",
      { cause: err },
    );
  }
  if (code === "TimeoutError" || e?.name === "TimeoutError") {
    return new OperationError(`The SQS endpoint ${ctx.endpoint} did not answer in time.`, undefined, { cause: err });
  }
  if (code === "InvalidParameterValue" || code === "InvalidAttributeName" || code === "InvalidAttributeValue" || code === "MissingParameter" || code === "InvalidParameterCombination" || code === "InvalidMessageContents" || code === "InvalidAddress") {
    return new UsageError(`SQS rejected the request${ctx.queue ? ` for queue "${ctx.queue}"` : ""}: ${e?.message ?? code}`, undefined, { cause: err });
  }
  return new OperationError(
    `${code || e?.name || "Error"}${ctx.queue ? ` (queue "${ctx.queue}")` : ""}: ${e?.message ?? String(err)}`,
    undefined,
    { cause: err },
  );
}
