import { AuthError, OperationError, SqsctlError, UsageError } from "../errors.js";

export interface ErrorContext {
  region: string;
  endpoint: string;
  /** The queue as the user named it, when the call was about one queue. */
  queue?: string | undefined;
  local?: boolean;
  /** The proxy requests go through (password hidden), when one is set. */
  proxy?: string | undefined;
}

/** Where a failed call was talking (set on SDK errors by the client; see client.ts). */
export const ERROR_CONTEXT: unique symbol = Symbol.for("sqsctl.errorContext");

export function errorContextOf(err: unknown): ErrorContext | undefined {
  return err && typeof err === "object" ? (err as { [ERROR_CONTEXT]?: ErrorContext })[ERROR_CONTEXT] : undefined;
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
/** TLS failures: a handshake with a non-TLS server, or a certificate not trusted. */
const TLS_PROBLEM = /^(EPROTO|ERR_SSL_|ERR_TLS_|CERT_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_(GET|VERIFY)_)/;

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
  // OverLimit comes as HTTP 403 but is no access problem: a quota of the queue was reached.
  if (code === "OverLimit") {
    return new OperationError(
      `SQS refused the request${ctx.queue ? ` for queue "${ctx.queue}"` : ""}: a limit was reached (OverLimit: ${e?.message || "over limit"}).`,
      "A receive: too many messages are in flight (about 120,000 on a standard queue, 20,000 on FIFO); wait for consumers to delete them or their holds to end. A permission: the queue has too many.",
      { cause: err },
    );
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
      `Could not reach the SQS endpoint ${ctx.endpoint}${ctx.proxy ? ` through the proxy ${ctx.proxy}` : ""} (${sysCode}).`,
      ctx.proxy
        ? "Check the proxy (HTTPS_PROXY / HTTP_PROXY), or add the endpoint's host to NO_PROXY to go direct."
        : ctx.local
        ? "Is the embedded server running? Start it with 'sqsctl local' in another terminal."
        : "Check the endpoint, your network, and --region / --endpoint-url.",
      { cause: err },
    );
  }
  if (typeof sysCode === "string" && TLS_PROBLEM.test(sysCode)) {
    return new OperationError(
      `TLS with ${ctx.endpoint}${ctx.proxy ? ` through the proxy ${ctx.proxy}` : ""} failed (${sysCode}).`,
      /CERT|SELF_SIGNED|UNABLE_TO/.test(sysCode)
        ? "If a corporate proxy or private CA signs this certificate, point AWS_CA_BUNDLE (or ca_bundle in your profile) at its PEM file, as for the AWS CLI."
        : "Check that the endpoint speaks https:// (a plain HTTP server needs http:// in the URL).",
      { cause: err },
    );
  }
  if (code === "TimeoutError" || e?.name === "TimeoutError" || sysCode === "ETIMEDOUT") {
    const attempts = (e as { $metadata?: { attempts?: number } })?.$metadata?.attempts;
    return new OperationError(
      `The SQS endpoint ${ctx.endpoint} did not answer in time${attempts && attempts > 1 ? ` (${attempts} attempts)` : ""}.`,
      "Check that the endpoint is an SQS server and reachable; SQSCTL_REQUEST_TIMEOUT (seconds) sets how long one request may take.",
      { cause: err },
    );
  }
  const status = e?.$metadata?.httpStatusCode;
  if (status && (code === "" || code === "Unknown" || code === "UnknownError")) {
    // An HTTP error with no SQS error in it: a proxy that refused the tunnel, or not SQS.
    return new OperationError(
      ctx.proxy
        ? `HTTP ${status} from ${ctx.endpoint} through the proxy ${ctx.proxy}, with no SQS error: the proxy may have refused the connection${status === 407 ? " (407: the proxy wants credentials)" : ""}.`
        : `The endpoint ${ctx.endpoint} answered HTTP ${status} with no SQS error.`,
      ctx.proxy
        ? "Check HTTPS_PROXY / HTTP_PROXY (proxy credentials go in its URL, before an @), or add the endpoint's host to NO_PROXY."
        : "Check --endpoint-url, AWS_ENDPOINT_URL(_SQS) or endpoint_url in your profile: it must be an SQS endpoint.",
      { cause: err },
    );
  }
  const notSqs = notAnSqsAnswer(err);
  if (notSqs) {
    return new OperationError(
      `The endpoint ${ctx.endpoint} did not answer like SQS (${notSqs}).`,
      "Check --endpoint-url, AWS_ENDPOINT_URL(_SQS) or endpoint_url in your profile: it must be an SQS endpoint such as https://sqs.us-east-1.amazonaws.com or http://127.0.0.1:9324.",
      { cause: err },
    );
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

/**
 * A web page, a proxy's error page or anything else that is not an SQS answer: the SDK
 * reports these as JSON parse errors ("Unexpected token '<'"). Returns a short
 * description of what came back, or undefined when the answer looked like SQS.
 */
function notAnSqsAnswer(err: unknown): string | undefined {
  const e = err as { name?: string; message?: string; $response?: { statusCode?: number; headers?: Record<string, string> } };
  const response = e?.$response;
  const type = response?.headers?.["content-type"] ?? response?.headers?.["Content-Type"];
  const parseFailed = e?.name === "SyntaxError" || /Deserialization error|is not valid JSON|Unexpected token/i.test(e?.message ?? "");
  const html = typeof type === "string" && /html/i.test(type);
  if (!parseFailed && !html) return undefined;
  return [response?.statusCode ? `HTTP ${response.statusCode}` : undefined, type ? String(type).split(";")[0] : "an unreadable body"]
    .filter(Boolean)
    .join(", ");
}
