import type { Dimension } from './dimensions.js';

// Findings name classes of cells, not cells: cells that differ only where it does not matter merge.

/**
 * Merges cells that differ only in one dimension and together cover all its values into one cell
 * where that dimension is "any" (-1), so a finding reads "amount = 3000000, channel=direct" rather
 * than sixteen lines, one per combination of the facts that do not matter.
 *
 * @example
 * mergeCells(space.dimensions, gaps.map((r) => r.cell.coordinates)); //=> [[3, 0, -1, -1, -1, -1]]
 */
export function mergeCells(dimensions: readonly Dimension[], cells: readonly (readonly number[])[]): number[][] {
  // Points that name the same class (500000.01 and 999999.99 are both "in (500000, 1000000)") count once.
  const { classOf, classCount } = classesOf(dimensions);
  const unique = new Map<string, number[]>();
  for (const cell of cells) {
    const normal = cell.map((c, i) => (c === -1 ? -1 : classOf[i]![c]!));
    unique.set(normal.join(','), normal);
  }
  let current = [...unique.values()];
  dimensions.forEach((_dimension, axis) => {
    const groups = new Map<string, number[][]>();
    for (const cell of current) {
      const key = cell.map((c, i) => (i === axis ? '*' : c)).join(',');
      const group = groups.get(key);
      if (group) group.push(cell);
      else groups.set(key, [cell]);
    }
    current = [...groups.values()].flatMap((group) => {
      const values = new Set(group.map((cell) => cell[axis]));
      return values.size === classCount[axis] && !values.has(-1) ? [group[0]!.map((c, i) => (i === axis ? -1 : c))] : group;
    });
  });
  return current;
}

const classCache = new WeakMap<readonly Dimension[], { classOf: number[][]; classCount: number[] }>();

/** For each dimension, the first point of each point's class (by label), and how many classes: once per space, as mergeCells runs once per finding. */
function classesOf(dimensions: readonly Dimension[]): { classOf: number[][]; classCount: number[] } {
  const cached = classCache.get(dimensions);
  if (cached) return cached;
  const classOf = dimensions.map((d) => {
    const first = new Map<string, number>();
    return d.points.map((p, index) => {
      if (!first.has(p.label)) first.set(p.label, index);
      return first.get(p.label)!;
    });
  });
  const classes = { classOf, classCount: classOf.map((c) => new Set(c).size) };
  classCache.set(dimensions, classes);
  return classes;
}

/**
 * Names a (possibly merged) cell by the classes of the facts that matter.
 *
 * @example
 * describeCell(dimensions, [3, 0, -1]); //=> 'amount = 3000000, channel=direct'
 */
export function describeCell(dimensions: readonly Dimension[], coordinates: readonly number[]): string {
  const parts = coordinates.flatMap((c, i) => (c === -1 ? [] : [dimensions[i]!.points[c]!.label]));
  return parts.length === 0 ? 'every combination of facts' : parts.join(', ');
}

