/**
 * Words and numbers in sentences (pure, so core and output share it), so every command says "1 message", "2 messages",
 * "1,234 messages" the same way (never "message(s)").
 */

/** "1 message", "3 messages", "1,200 messages"; `many` for irregular plurals ("1 entry", "2 entries"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** The word alone, for "3 messages were": `were(n)`. */
export function were(n: number): string {
  return n === 1 ? "was" : "were";
}
