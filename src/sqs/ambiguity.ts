/**
 * Knowing when a send may have happened although it "failed". A SendMessageBatch
 * whose connection dropped, timed out or got a 5xx may still have been carried out
 * by the server; when the SDK (or sqsctl) then sends it again, the messages can be
 * in the queue twice. That is the right trade (a duplicate is better than a loss),
 * but it must be counted and reported. Throttling and other 4xx answers mean the
 * server refused the request: retrying those cannot duplicate anything.
 */

const THROTTLING = new Set([
  "ThrottlingException",
  "RequestThrottled",
  "RequestThrottledException",
  "Throttling",
  "TooManyRequestsException",
  "SlowDown",
]);

/** Network errors that prove the request never reached the server. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** True when a failed attempt leaves it unknown whether the server acted on the request. */
export function isAmbiguousFailure(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; cause?: { code?: string } };
  const name = String(e?.name ?? "").split(/[.#]/).at(-1) ?? "";
  if (THROTTLING.has(name)) return false;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500;
  const code = e?.code ?? e?.cause?.code;
  return !(code && NEVER_SENT.has(code));
}

interface WithMiddleware {
  middlewareStack: { add(middleware: unknown, options: { step: "deserialize"; name: string }): void };
}

/**
 * Watches every attempt of one command (the SDK retries inside `send`) and returns a
 * function that says how many attempts failed ambiguously (0: none). `onAmbiguous` is
 * called at each one, as it happens (a journal records it, so a kill cannot hide it). Each such
 * attempt may have put one extra copy of every entry in the queue. Attach before sending:
 *
 *   const ambiguous = trackAmbiguity(cmd); await client.send(cmd); if (ambiguous()) ...
 */
export function trackAmbiguity(command: WithMiddleware, onAmbiguous?: () => void): () => number {
  let ambiguous = 0;
  command.middlewareStack.add(
    (next: (args: unknown) => Promise<{ response?: { statusCode?: number } }>) => async (args: unknown) => {
      try {
        const out = await next(args);
        // Inside the deserializer an error answer arrives as a raw response.
        if ((out.response?.statusCode ?? 0) >= 500) {
          ambiguous += 1;
          onAmbiguous?.();
        }
        return out;
      } catch (err) {
        if (isAmbiguousFailure(err)) {
          ambiguous += 1;
          onAmbiguous?.();
        }
        throw err;
      }
    },
    { step: "deserialize", name: "sqsctlAmbiguity" },
  );
  return () => ambiguous;
}
