/**
 * "Did you mean": the candidates closest to a mistyped word, by the same rule
 * Commander uses for command names (optimal string alignment distance, at most a
 * third of the word's length... and never more than 3 edits). Pure.
 */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidates (ties kept, at most 3), or none when nothing is close. */
export function suggestSimilar(word: string, candidates: Iterable<string>): string[] {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best = Infinity;
  let out: string[] = [];
  for (const c of new Set(candidates)) {
    if (c === word) continue;
    // Case differences alone are a common slip: count them as one edit.
    const dist = c.toLowerCase() === word.toLowerCase() ? 1 : distance(word, c);
    if (dist > limit) continue;
    if (dist < best) {
      best = dist;
      out = [c];
    } else if (dist === best) out.push(c);
  }
  return out.sort().slice(0, 3);
}
