// Sets of a dimension's points, as a decision-space enumeration narrows them rule by rule.

/** Points of one dimension: a run `[from, to)` (what an ordering allows) or ascending indices. */
export type PointSet = { readonly from: number; readonly to: number } | readonly number[];

/**
 * How many points a set holds.
 *
 * @example
 * sizeOf({ from: 2, to: 5 }); //=> 3
 */
export function sizeOf(points: PointSet): number {
  return 'from' in points ? Math.max(0, points.to - points.from) : points.length;
}

/**
 * The points of a set, ascending.
 *
 * @example
 * membersOf({ from: 2, to: 4 }); //=> [2, 3]
 */
export function membersOf(points: PointSet): readonly number[] {
  return 'from' in points ? Array.from({ length: sizeOf(points) }, (_, i) => points.from + i) : points;
}

/**
 * The i-th member, without listing a run.
 *
 * @example
 * memberAt({ from: 2, to: 5 }, 1); //=> 3
 */
export function memberAt(points: PointSet, i: number): number {
  return 'from' in points ? points.from + i : points[i]!;
}

/**
 * The points in both sets.
 *
 * @example
 * intersect({ from: 0, to: 4 }, [1, 5]); //=> [1]
 */
export function intersect(a: PointSet, b: PointSet): PointSet {
  if ('from' in a && 'from' in b) return { from: Math.max(a.from, b.from), to: Math.min(a.to, b.to) };
  if ('from' in a) return (b as readonly number[]).filter((p) => p >= a.from && p < a.to);
  if ('from' in b) return a.filter((p) => p >= b.from && p < b.to);
  return intersectSorted(a, b);
}

/** The common members of two ascending arrays of point indices. */
function intersectSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out.push(a[i]!);
      i++;
      j++;
    }
  }
  return out;
}

