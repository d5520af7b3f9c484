/**
 * The seed clock: lets a seed send messages "at" chosen past times. No SQS server
 * accepts a SentTimestamp from the client, and the embedded server (fauxqs) stamps
 * messages with Date.now() when it stores them. Running in this process, it reads the
 * same Date.now, so while `fn` runs Date.now answers the time the seed last set; the
 * real clock is restored when `fn` settles, whatever happens.
 *
 * Only for seeding the embedded server (`sqsctl local --seed`, the demo, tests); never
 * used against a real endpoint. Move the clock forward only: a held message's hidden
 * deadline is computed from it.
 */
export async function withSeedClock<T>(fn: (clock: { set(ms: number): void }) => Promise<T>): Promise<T> {
  const realNow = Date.now;
  let offset = 0;
  Date.now = () => realNow() + offset;
  try {
    return await fn({
      set(ms) {
        offset = Math.min(0, ms - realNow());
      },
    });
  } finally {
    Date.now = realNow;
  }
}
