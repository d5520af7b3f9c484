import { UsageError } from "../errors.js";

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parses `30s`, `5m`, `4d`, `1h30m` or plain seconds (`90`) into whole seconds.
 * Returns undefined for anything else, so callers can name the flag in the error.
 */
export function parseDurationSeconds(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  if (!/^(\d+[smhd])+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+)([smhd])/g)) {
    total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  }
  return total;
}

export interface DurationBounds {
  min: number;
  max: number;
}

/** Parses a duration flag and checks its range, naming the flag in the error. */
export function durationFlag(flag: string, text: string, bounds: DurationBounds): number {
  const seconds = parseDurationSeconds(text);
  if (seconds === undefined) {
    throw new UsageError(
      `${flag}: "${text}" is not a duration.`,
      `Use plain seconds (30) or a number with a unit: 30s, 5m, 2h, 4d (combinations such as 1h30m work too).`,
    );
  }
  if (seconds < bounds.min || seconds > bounds.max) {
    throw new UsageError(
      `${flag}: ${text} is out of range (${formatDuration(bounds.min)} to ${formatDuration(bounds.max)}).`,
    );
  }
  return seconds;
}

/** Renders seconds the way people say them: 30s, 5m, 1h 30m, 4d. */
export function formatDuration(totalSeconds: number): string {
  if (totalSeconds === 0) return "0s";
  const parts: string[] = [];
  let rest = totalSeconds;
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(" ");
}

/** SQS limits for the duration-valued settings (SQS-NOTES.md). */
export const Limits = {
  visibilityTimeout: { min: 0, max: 12 * 3600 },
  retention: { min: 60, max: 14 * 86400 },
  delay: { min: 0, max: 15 * 60 },
  wait: { min: 0, max: 20 },
  maxMessageSize: { min: 1024, max: 1_048_576 },
  maxReceiveCount: { min: 1, max: 1000 },
} as const;
