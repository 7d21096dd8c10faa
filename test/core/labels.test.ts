import { describe, expect, it } from 'vitest';
import { describeValue, labelsFor } from '../../src/core/labels.js';

describe('describeValue', () => {
  const labels = { sales_vp: { en: 'Sales Vice President', zh: '銷售副總' }, general_manager: { en: 'General Manager', zh: '總經理' } };
  it.each<[string, unknown, 'en' | 'zh', string]>([
    ['an id with a label', 'sales_vp', 'zh', 'sales_vp (銷售副總)'],
    ['an id with a label, in English', 'sales_vp', 'en', 'sales_vp (Sales Vice President)'],
    ['an id without a label', 'clerk', 'en', 'clerk'],
    ['a word Object.prototype has', 'toString', 'en', 'toString'],
    ['a route', ['sales_vp', 'clerk', 'general_manager'], 'en', 'sales_vp (Sales Vice President) → clerk → general_manager (General Manager)'],
    ['an empty list', [], 'en', '[]'],
    ['a list with a number in it', ['sales_vp', 2], 'en', '["sales_vp",2]'],
    ['a list of numbers', [1, 2], 'en', '[1,2]'],
    ['a number', 12.5, 'en', '12.5'],
    ['true', true, 'en', 'true'],
    ['null', null, 'en', 'null'],
    ['an object', { a: 'sales_vp' }, 'en', '{"a":"sales_vp"}'],
  ])('%s', (_name, value, lang, expected) => {
    expect(describeValue(value, labels, lang)).toBe(expected);
  });

  it('labelsFor gives a field\'s labels, or none', () => {
    const all = { authority: labels };
    expect(labelsFor(all, 'authority')).toBe(labels);
    expect(labelsFor(all, 'route')).toEqual({});
    expect(labelsFor(all, 'constructor')).toEqual({});
  });
});
