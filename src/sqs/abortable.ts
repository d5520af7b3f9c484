import type { SQSClient } from "@aws-sdk/client-sqs";

interface HandlerLike {
  handle(request: unknown, options?: { abortSignal?: AbortSignal; [k: string]: unknown }): Promise<unknown>;
}

export interface StopSignals {
  /** The first Ctrl-C / SIGTERM / SIGHUP. */
  interrupt: AbortSignal;
  /** The grace period after it is over: cancels the requests that were already in flight at the interrupt. */
  grace: AbortSignal;
  /** A second signal: cancels every request in flight. */
  force: AbortSignal;
}

/**
 * Lets an interrupt cancel `client`'s HTTP requests (the SDK honours `abortSignal`): the
 * request in hand when the user interrupted is cancelled when the grace period ends;
 * the ones started since (a command releasing what it holds) only on a second signal.
 * It wraps the handler client.ts configured (timeouts, proxy, agents) instead of
 * building another, and keeps any abortSignal a caller passed.
 */
export function abortRequestsOn(client: SQSClient, stops: StopSignals): void {
  const handler = (client.config as unknown as { requestHandler?: HandlerLike & { __sqsctlAbortable?: boolean } }).requestHandler;
  if (!handler || typeof handler.handle !== "function" || handler.__sqsctlAbortable) return;
  const handle = handler.handle.bind(handler);
  handler.handle = (request, options = {}) => {
    const controller = new AbortController();
    const cut = (why: AbortSignal) => () => controller.abort(why.reason);
    const watched: Array<[AbortSignal, () => void]> = [[stops.force, cut(stops.force)]];
    if (!stops.interrupt.aborted) watched.push([stops.grace, cut(stops.grace)]);
    if (options.abortSignal) watched.push([options.abortSignal, cut(options.abortSignal)]);
    for (const [s, fn] of watched) {
      if (s.aborted) fn();
      else s.addEventListener("abort", fn, { once: true });
    }
    return handle(request, { ...options, abortSignal: controller.signal }).finally(() => {
      for (const [s, fn] of watched) s.removeEventListener("abort", fn);
    });
  };
  handler.__sqsctlAbortable = true;
}

/** True for the error a cancelled request ends with (the SDK's AbortError), directly or as a cause. */
export function isAbortError(err: unknown): boolean {
  let e = err as { name?: string; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 5; depth++, e = e.cause as typeof e) {
    if (e.name === "AbortError") return true;
  }
  return false;
}
