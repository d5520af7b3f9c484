/**
 * Triage insight over a DLQ snapshot: per failure group, how many, since when, from
 * where, how often received, one sample, and a timeline. Pure: no I/O.
 *
 * Built to aggregate one envelope at a time (`add`), keeping counts and not bodies:
 * per group it keeps one shortened sample, a few counters and a per-minute histogram
 * of SentTimestamp, so memory grows with the number of groups and of distinct minutes,
 * not with the number of messages.
 */
import type { Envelope } from "./envelope.js";
import type { CompiledExpression } from "./filter.js";
import { groupKeyOf } from "./filter.js";
import { nameOf } from "./queue-ref.js";

/** The key of the one group when there is no --group-by. */
export const ALL_KEY = "(all)";
/** Characters of body kept in a sample. */
export const SAMPLE_BODY_CHARS = 300;

export interface TriageSample {
  messageId: string | null;
  sentAt: string | null;
  receiveCount: number | null;
  /** The body, shortened to `SAMPLE_BODY_CHARS` characters (whitespace runs kept as they are). */
  body: string;
  /** Characters of the whole body. */
  bodyChars: number;
  truncated: boolean;
  /** Message attribute names (values are not kept: they may hold personal data too). */
  attributes: string[];
}

export interface TriageGroup {
  key: string;
  /** The raw --group-by value of the group (null for "(none)" and without --group-by). */
  value: unknown;
  count: number;
  /** Oldest and newest SentTimestamp: when the failing messages were first sent. */
  firstSeen: string | null;
  lastSeen: string | null;
  /**
   * Oldest and newest ApproximateFirstReceiveTimestamp: when a consumer first took
   * (and failed) each message. Neither SQS nor fauxqs says when a message reached the
   * DLQ itself; this is the closest time a server gives.
   */
  firstReceived: { first: string; last: string } | null;
  /** Source queue name -> count (from DeadLetterQueueSourceArn, or the DLQ's only source). */
  sources: Record<string, number>;
  receiveCount: { min: number; max: number; distribution: Record<string, number> } | null;
  /** Messages sent in the hour before `now` (when result() was given a time): "still happening?". */
  lastHour?: number;
  sample: TriageSample;
}

export interface TriageOptions {
  /** The --group-by expression; one group (ALL_KEY) without it. */
  groupBy?: CompiledExpression | undefined;
  /** Source queues of the DLQ, used when a message does not name its own (one source = that one). */
  knownSources?: string[];
  sampleChars?: number;
}

interface GroupState {
  key: string;
  value: unknown;
  count: number;
  firstSent: number;
  lastSent: number;
  firstRecv: number;
  lastRecv: number;
  sources: Map<string, number>;
  receiveCounts: Map<number, number>;
  /** Minute index (ms / 60000) -> messages sent in that minute. */
  minutes: Map<number, number>;
  undated: number;
  sample: TriageSample;
}

const MINUTE = 60_000;
/** Where a message that names no source queue is counted until result() names it (the DLQ's sources may be known only later). */
const UNNAMED_SOURCE = "\u0000";

export class TriageAggregator {
  private readonly groups = new Map<string, GroupState>();
  private readonly groupBy: CompiledExpression | undefined;
  private fallbackSource: string;
  private readonly sampleChars: number;
  private added = 0;

  constructor(opts: TriageOptions = {}) {
    this.groupBy = opts.groupBy;
    this.fallbackSource = "(unknown)";
    this.knowSources(opts.knownSources ?? []);
    this.sampleChars = opts.sampleChars ?? SAMPLE_BODY_CHARS;
  }

  /**
   * The DLQ's source queues (the knownSources option), also after messages were added: dlq
   * inspect reads them beside its scan. Messages that name no source count for the only
   * source, or as "(unknown)".
   */
  knowSources(known: string[]): void {
    this.fallbackSource = known.length === 1 ? known[0]! : "(unknown)";
  }

  get total(): number {
    return this.added;
  }

  /** Counts one envelope. The envelope is not kept (only the first of each group, shortened). */
  add(env: Envelope): void {
    this.added += 1;
    let key = ALL_KEY;
    let value: unknown = null;
    if (this.groupBy) {
      value = this.groupBy.evaluate(env) ?? null;
      key = groupKeyOf(value);
    }
    let g = this.groups.get(key);
    if (!g) {
      g = {
        key,
        value: key === "(none)" ? null : value,
        count: 0,
        firstSent: Infinity,
        lastSent: -Infinity,
        firstRecv: Infinity,
        lastRecv: -Infinity,
        sources: new Map(),
        receiveCounts: new Map(),
        minutes: new Map(),
        undated: 0,
        sample: sampleOf(env, this.sampleChars),
      };
      this.groups.set(key, g);
    }
    g.count += 1;
    const sent = env.sentAt ? Date.parse(env.sentAt) : NaN;
    if (Number.isFinite(sent)) {
      g.firstSent = Math.min(g.firstSent, sent);
      g.lastSent = Math.max(g.lastSent, sent);
      const m = Math.floor(sent / MINUTE);
      g.minutes.set(m, (g.minutes.get(m) ?? 0) + 1);
    } else {
      g.undated += 1;
    }
    const recv = env.firstReceivedAt ? Date.parse(env.firstReceivedAt) : NaN;
    if (Number.isFinite(recv)) {
      g.firstRecv = Math.min(g.firstRecv, recv);
      g.lastRecv = Math.max(g.lastRecv, recv);
    }
    const src = env.sourceQueueArn ? nameOf(env.sourceQueueArn) : UNNAMED_SOURCE;
    g.sources.set(src, (g.sources.get(src) ?? 0) + 1);
    if (env.receiveCount !== undefined) g.receiveCounts.set(env.receiveCount, (g.receiveCounts.get(env.receiveCount) ?? 0) + 1);
  }

  /** The groups, largest first (ties by key); with `now` (ms), each says how many were sent in the hour before it. */
  result(now?: number): TriageGroup[] {
    return [...this.groups.values()]
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
      .map((g) => {
        const counts = [...g.receiveCounts.keys()].sort((a, b) => a - b);
        return {
          key: g.key,
          value: g.value,
          count: g.count,
          firstSeen: Number.isFinite(g.firstSent) ? iso(g.firstSent) : null,
          lastSeen: Number.isFinite(g.lastSent) ? iso(g.lastSent) : null,
          firstReceived: Number.isFinite(g.firstRecv) ? { first: iso(g.firstRecv), last: iso(g.lastRecv) } : null,
          sources: Object.fromEntries([...this.namedSources(g.sources)].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
          receiveCount: counts.length
            ? { min: counts[0]!, max: counts.at(-1)!, distribution: Object.fromEntries(counts.map((c) => [String(c), g.receiveCounts.get(c)!])) }
            : null,
          ...(now !== undefined ? { lastHour: sentBetween(g.minutes, now - 60 * MINUTE, now) } : {}),
          sample: g.sample,
        };
      });
  }

  /** A group's source counts with the unnamed ones under the fallback source. */
  private namedSources(sources: Map<string, number>): Map<string, number> {
    const unnamed = sources.get(UNNAMED_SOURCE);
    if (unnamed === undefined) return sources;
    const out = new Map(sources);
    out.delete(UNNAMED_SOURCE);
    out.set(this.fallbackSource, (out.get(this.fallbackSource) ?? 0) + unnamed);
    return out;
  }

  /**
   * Failures over time (by SentTimestamp), bucketed by a size chosen from the span.
   * The span runs to `now` when the quiet time since the last message is no longer
   * than the span itself, so "still happening?" shows as filled or empty last rows;
   * a DLQ whose failures stopped long ago keeps its detail and says so in `quietSince`.
   */
  timeline(opts: TimelineOptions): Timeline {
    const maxGroups = opts.maxGroups ?? 5;
    const ordered = this.result();
    const shown = ordered.slice(0, ordered.length > maxGroups ? maxGroups - 1 : maxGroups).map((g) => g.key);
    const other = ordered.length > shown.length;
    const keys = other ? [...shown, OTHER_KEY] : shown;
    let first = Infinity;
    let last = -Infinity;
    let undated = 0;
    for (const g of this.groups.values()) {
      first = Math.min(first, g.firstSent);
      last = Math.max(last, g.lastSent);
      undated += g.undated;
    }
    const basis = opts.basis ?? "sent";
    if (!Number.isFinite(first)) return { basis, bucketSeconds: 0, bucket: "", start: null, end: null, groups: keys, buckets: [], undated, quietSince: null };
    const messageSpan = last - first;
    const reachesNow = opts.now >= last && opts.now - last <= Math.max(messageSpan, 10 * MINUTE);
    const end = reachesNow ? opts.now : last;
    const size = chooseBucket(end - first, opts.maxBuckets ?? 30);
    const startBucket = Math.floor(first / size.ms) * size.ms;
    const n = Math.floor(end / size.ms) - startBucket / size.ms + 1;
    const buckets: TimelineBucket[] = Array.from({ length: n }, (_, i) => ({ start: iso(startBucket + i * size.ms), total: 0, counts: {} }));
    for (const g of this.groups.values()) {
      const k = shown.includes(g.key) ? g.key : OTHER_KEY;
      for (const [minute, c] of g.minutes) {
        const i = Math.floor((minute * MINUTE - startBucket) / size.ms);
        const b = buckets[i]!;
        b.total += c;
        b.counts[k] = (b.counts[k] ?? 0) + c;
      }
    }
    return {
      basis,
      bucketSeconds: size.ms / 1000,
      bucket: size.label,
      start: iso(startBucket),
      end: iso(startBucket + n * size.ms),
      groups: keys,
      buckets,
      undated,
      quietSince: reachesNow ? null : iso(last),
    };
  }
}

export const OTHER_KEY = "(other)";

/** Messages in the histogram sent in [from, to] (minute resolution). */
function sentBetween(minutes: Map<number, number>, from: number, to: number): number {
  let n = 0;
  const a = Math.floor(from / MINUTE);
  const b = Math.floor(to / MINUTE);
  for (const [m, c] of minutes) if (m >= a && m <= b) n += c;
  return n;
}

export interface TimelineOptions {
  /** Time of the snapshot, ms. */
  now: number;
  /** @default 30 */
  maxBuckets?: number;
  /** Groups named in the chart; the rest are summed as "(other)". @default 5 */
  maxGroups?: number;
  /**
   * What SentTimestamp means on this DLQ: "sent" (standard queues keep the original
   * enqueue time when SQS moves a message to the DLQ) or "moved-to-dlq" (FIFO queues
   * reset it then). @default "sent"
   */
  basis?: TimelineBasis;
}

export type TimelineBasis = "sent" | "moved-to-dlq";

export interface TimelineBucket {
  /** ISO start of the bucket (UTC, aligned to the bucket size). */
  start: string;
  total: number;
  /** Group key -> messages, only the groups present. */
  counts: Record<string, number>;
}

export interface Timeline {
  /** What the times are: see TimelineOptions.basis. */
  basis: TimelineBasis;
  bucketSeconds: number;
  /** The bucket size in words: "5m", "1h", "1d". */
  bucket: string;
  start: string | null;
  end: string | null;
  /** Keys in chart order (largest first; "(other)" last when groups were folded). */
  groups: string[];
  buckets: TimelineBucket[];
  /** Messages without a SentTimestamp (not in any bucket). */
  undated: number;
  /** When the chart stops before now: the newest SentTimestamp (nothing sent since). */
  quietSince: string | null;
}

const LADDER: Array<[number, string]> = [
  [1, "1m"],
  [2, "2m"],
  [5, "5m"],
  [10, "10m"],
  [15, "15m"],
  [30, "30m"],
  [60, "1h"],
  [120, "2h"],
  [180, "3h"],
  [360, "6h"],
  [720, "12h"],
  [1440, "1d"],
  [2880, "2d"],
  [10080, "7d"],
  [43200, "30d"],
];

/** The smallest bucket from the ladder (1 minute to 30 days) that covers `spanMs` in at most `maxBuckets` rows. */
export function chooseBucket(spanMs: number, maxBuckets: number): { ms: number; label: string } {
  for (const [minutes, label] of LADDER) {
    const ms = minutes * MINUTE;
    // +1: a span that starts and ends mid-bucket touches one more bucket than span/size.
    if (Math.floor(spanMs / ms) + 1 <= maxBuckets) return { ms, label };
  }
  const [minutes, label] = LADDER.at(-1)!;
  return { ms: minutes * MINUTE, label };
}

/**
 * A --filter expression that selects exactly one group of `groupBy` (for the redrive
 * command a report prints), combined with the user's own --filter when there is one.
 */
export function groupFilter(groupBy: string | undefined, group: Pick<TriageGroup, "key" | "value">, userFilter?: string): string | undefined {
  let own: string | undefined;
  if (groupBy && group.key !== ALL_KEY) {
    // A plain path reads as typed; anything else is parenthesised so == binds to all of it.
    const expr = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(groupBy.trim()) ? groupBy.trim() : `(${groupBy})`;
    const v = group.value;
    if (group.key === "(none)" || v === null || v === undefined) own = `${expr} == \`null\` || ${expr} == ''`;
    else if (typeof v === "string") own = `${expr} == '${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
    else own = `${expr} == \`${JSON.stringify(v)}\``;
  }
  if (own && userFilter) return `(${userFilter}) && (${own})`;
  return own ?? userFilter;
}

/** Scales sampled counts to the queue: `count * total / scanned`, rounded. */
export function estimate(count: number, scanned: number, total: number): number {
  if (scanned <= 0) return 0;
  return Math.round((count * Math.max(total, scanned)) / scanned);
}

function sampleOf(env: Envelope, chars: number): TriageSample {
  const body = env.body;
  const truncated = body.length > chars;
  return {
    messageId: env.messageId ?? null,
    sentAt: env.sentAt ?? null,
    receiveCount: env.receiveCount ?? null,
    body: truncated ? `${cut(body, chars)}…` : body,
    bodyChars: body.length,
    truncated,
    attributes: Object.keys(env.messageAttributes ?? {}).sort(),
  };
}

/** The first `chars` UTF-16 units, without splitting a surrogate pair. */
function cut(text: string, chars: number): string {
  const code = text.charCodeAt(chars - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? chars - 1 : chars);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
