/**
 * Words and numbers in sentences (pure, so core and output share it), so every command says "1 message", "2 messages",
 * "1,234 messages" the same way (never "message(s)").
 *
 * Start-up: the first toLocaleString() or localeCompare() in a process loads ICU's locale
 * data, 6-30 ms of a ~130 ms command (bench/RESULTS.md, "1c"). A one-shot command prints
 * one summary and sorts a few queue names, so both are done here without ICU for the
 * inputs they meet (integers; queue names), with the same results, and ICU only beyond.
 */

/** "1,234": en-US grouping, as n.toLocaleString("en-US") prints it. */
export function count(n: number): string {
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
  return n.toLocaleString("en-US");
}

/** "1 message", "3 messages", "1,200 messages"; `many` for irregular plurals ("1 entry", "2 entries"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** The word alone, for "3 messages were": `were(n)`. */
export function were(n: number): string {
  return n === 1 ? "was" : "were";
}

// Primary weights of the characters a queue name may hold, in the order ICU's root collation
// (localeCompare) gives them: punctuation, digits, then letters with case ignored.
const PRIMARY = "_-.0123456789abcdefghijklmnopqrstuvwxyz";
const NAME = /^[A-Za-z0-9_.-]*$/;

/**
 * a.localeCompare(b) for names (queues, DLQs), without loading ICU for the characters SQS
 * allows in a queue name: first by letters ignoring case, punctuation before digits before
 * letters, a prefix first; then lower case before upper at the first difference. Any other
 * character goes to localeCompare. test/unit/core.test.ts checks it against localeCompare.
 */
export function compareNames(a: string, b: string): number {
  if (!NAME.test(a) || !NAME.test(b)) return a.localeCompare(b);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = PRIMARY.indexOf(a[i]!.toLowerCase()) - PRIMARY.indexOf(b[i]!.toLowerCase());
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] === a[i]!.toLowerCase() ? -1 : 1;
  return 0;
}
