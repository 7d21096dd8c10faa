// The one walk of a checked condition tree (core/condition-fold.ts), which compile, SQL,
// validate, docs and the enumeration fold with their own functions.
import { describe, expect, it } from 'vitest';
import { conditionLeaves, foldCondition } from '../../src/core/condition-fold.js';
import type { ConditionFolder } from '../../src/core/condition-fold.js';
import { toDotPath } from '../../src/core/path.js';
import type { Condition, LeafCondition } from '../../src/core/rule-file.js';

const leaf = (fact: string): LeafCondition => ({ fact, operator: 'equal', value: true });
const tree: Condition = { all: [leaf('a'), { any: [leaf('b'), { not: leaf('c') }] }, { not: { all: [leaf('d')] } }] };

/** Writes the tree back as text, every node tagged with its path: shows order, nesting and paths at once. */
const printer: ConditionFolder<string> = {
  all: (children, _node, path) => `all@${toDotPath(path)}(${children.join(',')})`,
  any: (children, _node, path) => `any@${toDotPath(path)}(${children.join(',')})`,
  not: (inner, _node, path) => `not@${toDotPath(path)}(${inner})`,
  fact: (node, path) => `${node.fact}@${toDotPath(path)}`,
};

describe('foldCondition', () => {
  it('folds children first, in file order, giving each node its JSON path', () => {
    expect(foldCondition(tree, printer)).toBe('all@(a@all[0],any@all[1](b@all[1].any[0],not@all[1].any[1](c@all[1].any[1].not)),not@all[2](all@all[2].not(d@all[2].not.all[0])))');
  });

  it('continues the path it is given for the root', () => {
    expect(foldCondition({ not: leaf('x') }, printer, { path: ['rules', 3, 'conditions'] })).toBe('not@rules[3].conditions(x@rules[3].conditions.not)');
  });

  it('with a memo, folds a node that occurs twice once', () => {
    const shared: Condition = { any: [leaf('a'), leaf('b')] };
    let groups = 0;
    const count: ConditionFolder<number> = {
      all: (children) => children.reduce((a, b) => a + b, 1),
      any: (children) => (groups++, children.reduce((a, b) => a + b, 1)),
      not: (inner) => inner + 1,
      fact: () => 1,
    };
    const root: Condition = { all: [shared, { not: shared }] };
    expect(foldCondition(root, count, { memo: new Map() })).toBe(8);
    expect(groups).toBe(1);
    groups = 0;
    expect(foldCondition(root, count)).toBe(8);
    expect(groups).toBe(2);
  });
});

describe('conditionLeaves', () => {
  it('lists every comparison in file order with its path', () => {
    expect(conditionLeaves(tree).map(({ leaf: l, path }) => `${l.fact}@${toDotPath(path)}`)).toEqual(['a@all[0]', 'b@all[1].any[0]', 'c@all[1].any[1].not', 'd@all[2].not.all[0]']);
  });

  it('reaches through all alone when told not to look inside any and not', () => {
    expect(conditionLeaves(tree, { any: false, not: false }).map(({ leaf: l }) => l.fact)).toEqual(['a']);
    expect(conditionLeaves(tree, { not: false }).map(({ leaf: l }) => l.fact)).toEqual(['a', 'b']);
    expect(conditionLeaves(tree, { any: false }).map(({ leaf: l }) => l.fact)).toEqual(['a', 'd']);
  });
});
