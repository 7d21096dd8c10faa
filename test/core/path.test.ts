import { describe, expect, it } from 'vitest';
import { followPath, toDotPath, valueAt } from '../../src/core/path.js';

describe('toDotPath', () => {
  it.each<[string, (string | number)[], string]>([
    ['nothing', [], ''],
    ['one key', ['amount'], 'amount'],
    ['keys and indexes', ['rules', 2, 'conditions', 'all', 0, 'operator'], 'rules[2].conditions.all[0].operator'],
    ['an index first', [0, 'amount'], '[0].amount'],
    ['a key that is not an identifier', ['facts', 'first name'], 'facts["first name"]'],
    ['a key that is not an identifier, first', ['first name', 'x'], '["first name"].x'],
    ['a key that starts with a digit', ['2x'], '["2x"]'],
    ['an identifier with $ and _', ['$a', '_b1'], '$a._b1'],
    ['an empty key', ['a', ''], 'a[""]'],
    ['a key with a quote', ['say "hi"'], '["say \\"hi\\""]'],
    ['a key that only ends like an identifier', ['a-b'], '["a-b"]'],
  ])('%s: %j → %s', (_name, path, expected) => {
    expect(toDotPath(path)).toBe(expected);
  });
});

describe('valueAt', () => {
  const root = { handlers: ['a', 'b'], nested: { n: null, zero: 0 }, text: 'abc' };
  it.each<[string, unknown, (string | number)[], unknown]>([
    ['the root itself', root, [], root],
    ['an index into a list', root, ['handlers', 1], 'b'],
    ['past the end of a list', root, ['handlers', 2], undefined],
    ['a key that is there', root, ['nested', 'zero'], 0],
    ['a key that is missing', root, ['nested', 'missing'], undefined],
    ['through null', root, ['nested', 'n', 'x'], undefined],
    ['into a string', root, ['text', 0], undefined],
    ['into a string\'s length', root, ['text', 'length'], undefined],
    ['into a number', 5, ['x'], undefined],
    ['into undefined', undefined, ['x'], undefined],
    ['into null', null, ['x'], undefined],
    ['never into Object.prototype', {}, ['toString'], undefined],
    ['never into a list\'s prototype', [], ['map'], undefined],
    ['a list\'s own length', [1, 2], ['length'], 2],
  ])('%s', (_name, value, path, expected) => {
    expect(valueAt(value, path)).toBe(expected);
  });
});

// json-rules-engine's semantics, shared by the evaluator and the SQL compiler: unlike valueAt, a
// value that is not an object is returned as it is, and a later step may read a string's length.
describe('followPath', () => {
  const root = { referral: { agent: 'a7', choice: null }, list: ['x', 'yz'] };
  it.each<[string, unknown, (string | number)[] | undefined, unknown]>([
    ['no path: the value', root, undefined, root],
    ['a key', root, ['referral', 'agent'], 'a7'],
    ['a key holding null', root, ['referral', 'choice'], null],
    ['through null', root, ['referral', 'choice', 'x'], undefined],
    ['a missing key', root, ['referral', 'missing'], undefined],
    ['an index', root, ['list', 1], 'yz'],
    ['a string\'s own length, a step in', root, ['list', 1, 'length'], 2],
    ['a string at the root: returned as it is', 'abc', ['length'], 'abc'],
    ['an empty string a step in has no length (jsonpath-plus reads only truthy values)', { name: '' }, ['name', 'length'], undefined],
    ['a character of a string a step in', { name: 'xyz' }, ['name', 1], 'y'],
    ['null at the root: returned as it is', null, ['x'], null],
    ['never into Object.prototype', {}, ['toString'], undefined],
  ])('%s', (_name, value, path, expected) => {
    expect(followPath(value, path)).toEqual(expected);
  });
});
