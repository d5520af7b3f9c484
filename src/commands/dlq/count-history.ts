import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CountSample } from "../../core/growth.js";

/**
 * The DLQ counts earlier runs saw, so `dlq list` and `dlq inspect` can say how a DLQ
 * grew since the previous look without waiting: one small JSON file in the state
 * folder (SQSCTL_HOME, default ~/.sqsctl, as the redrive journal), keyed by endpoint
 * and queue ARN, the last few counts a queue.
 */
const KEEP = 10;
const MAX_AGE_MS = 14 * 86_400_000;

interface HistoryFile {
  version: 1;
  queues: Record<string, CountSample[]>;
}

export function countHistoryPath(env: Record<string, string | undefined>): string {
  return path.join(env.SQSCTL_HOME || path.join(env.HOME || os.homedir(), ".sqsctl"), "dlq-counts.json");
}

/**
 * Saves the counts and returns each queue's previous one (undefined when none). A state
 * folder that cannot be read or written only loses the comparison: `onError` hears why.
 */
export function recordCounts(
  env: Record<string, string | undefined>,
  endpoint: string,
  counts: Array<{ arn: string; sample: CountSample }>,
  onError: (message: string) => void = () => undefined,
): Map<string, CountSample | undefined> {
  const file = countHistoryPath(env);
  let data: HistoryFile = { version: 1, queues: {} };
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<HistoryFile>;
    if (parsed.version === 1 && parsed.queues && typeof parsed.queues === "object") data = { version: 1, queues: parsed.queues };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") onError(`${file}: ${(err as Error).message} (starting a new count history)`);
  }
  const previous = new Map<string, CountSample | undefined>();
  const now = Date.now();
  for (const { arn, sample } of counts) {
    const key = `${endpoint} ${arn}`;
    const list = (Array.isArray(data.queues[key]) ? data.queues[key] : []).filter((s) => Number.isFinite(s?.at) && Number.isFinite(s?.total));
    previous.set(arn, list.at(-1));
    data.queues[key] = [...list, sample].slice(-KEEP);
  }
  for (const [key, list] of Object.entries(data.queues)) {
    if (!list.length || now - list.at(-1)!.at > MAX_AGE_MS) delete data.queues[key];
  }
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(data)}\n`, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch (err) {
    onError(`could not save the counts to ${file}: ${(err as Error).message}`);
  }
  return previous;
}
