/**
 * The Levenshtein distance between two strings (insertions, deletions, substitutions), in
 * O(a·b) time and O(b) memory; the words compared here are short.
 *
 * @example
 * editDistance('valdate', 'validate'); //=> 1
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * `; did you mean "X"?` for the known word closest to `word`, or `''` when none is close (more
 * than a third of the longer word, at least 2 edits, is not close).
 *
 * @example
 * `unknown command "valdate"${didYouMean('valdate', ['validate', 'test'])}`; //=> 'unknown command "valdate"; did you mean "validate"?'
 */
export function didYouMean(word: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return '';
  const limit = Math.max(2, Math.floor(Math.max(word.length, best.length) / 3));
  return bestDistance <= limit ? `; did you mean ${JSON.stringify(best)}?` : '';
}
