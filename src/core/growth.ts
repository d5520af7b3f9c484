/**
 * "Is it still happening?" from two counts of a queue. Pure: no I/O.
 * The counts come from the queue's approximate attributes (visible + in flight +
 * delayed), so a DLQ that a scan is holding still counts its held messages.
 */

export interface CountSample {
  /** ms since the epoch */
  at: number;
  total: number;
}

export interface Growth {
  /** Messages more (or fewer) in the later count. */
  delta: number;
  seconds: number;
  /** ISO time of the earlier count. */
  since: string;
  /**
   * interval: two counts this run took on purpose (dlq list --growth);
   * scan: the counts before and after an inspect scan;
   * previous-run: this count against the one an earlier sqsctl run saved.
   */
  method: "interval" | "scan" | "previous-run";
}

export function growthBetween(earlier: CountSample, later: CountSample, method: Growth["method"]): Growth {
  return {
    delta: later.total - earlier.total,
    seconds: Math.max(0, Math.round((later.at - earlier.at) / 1000)),
    since: new Date(earlier.at).toISOString(),
    method,
  };
}

/** "+42 in the last 5 min", "no change in the last 12s", "-3 since the previous look 2 h ago". */
export function describeGrowth(g: Growth): string {
  const change = g.delta === 0 ? "no change" : `${g.delta > 0 ? "+" : "-"}${Math.abs(g.delta)}`;
  const span = spanText(g.seconds);
  if (g.method === "previous-run") return `${change} since the previous look ${span} ago`;
  if (g.method === "scan") return `${change} during this ${span} scan`;
  return `${change} in the last ${span}`;
}

export function spanText(seconds: number): string {
  if (seconds < 90) return `${seconds}s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}
