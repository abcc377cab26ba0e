/**
 * "Did you mean …?" for mistyped rule IDs and keys: the closest candidate within three edits, or
 * else the one candidate that the word is the start of (`lambda-ruby` → `lambda-ruby-only`).
 */

export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  let best: string | undefined;
  let bestDistance = 4;
  for (const c of list) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best || word.length < 4) return best;
  const extended = list.filter((c) => c.startsWith(word));
  return extended.length === 1 ? extended[0] : undefined;
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
