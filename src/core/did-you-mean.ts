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

/** The most edits at which two words still count as close: a third of the longer one, at least 2. */
function closeLimit(a: string, b: string): number {
  return Math.max(2, Math.floor(Math.max(a.length, b.length) / 3));
}

/**
 * `; did you mean "X"?` for the known word closest to `word`, or `''` when none is close (more
 * than a third of the longer word, at least 2 edits, is not close).
 *
 * The words come from untrusted files and command lines, so a candidate whose length alone puts
 * it out of reach (the distance is at least the difference in length) is never compared: a
 * megabyte-long operator costs a length check per known word, not a megabyte of edits each.
 *
 * @example
 * `unknown command "valdate"${didYouMean('valdate', ['validate', 'test'])}`; //=> 'unknown command "valdate"; did you mean "validate"?'
 */
export function didYouMean(word: string, known: readonly string[]): string {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const limit = closeLimit(word, candidate);
    if (Math.abs(word.length - candidate.length) > limit) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : `; did you mean ${JSON.stringify(best)}?`;
}
