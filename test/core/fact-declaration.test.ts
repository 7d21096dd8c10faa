import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuleSetError } from '../../src/core/errors.js';
import { parseRuleFile } from '../../src/core/rule-file.js';
import { ROOT } from '../helpers/case-files.js';

// A bad facts block is refused when the file is loaded: a RuleSetError with file and JSON path, one row per defect.
const FILE = 'rules/commission/allocation.rules.json';
type Json = Record<string, any>;
const allocation = (): Json => JSON.parse(readFileSync(join(ROOT, FILE), 'utf8'));

function problems(json: unknown): { code: string; path: string; message: string }[] {
  try {
    parseRuleFile(json, FILE);
    return [];
  } catch (error) {
    if (!(error instanceof RuleSetError)) throw error;
    return error.issues.map(({ code, path, message, file }) => (expect(file).toBe(FILE), { code, path, message }));
  }
}

const defects: [string, (f: Json) => unknown, string, string, string][] = [
  ['a maximum on a boolean fact', (f) => (f.facts.contractSigned.maximum = 1), 'misplaced_fact_key', 'facts.contractSigned.maximum', '"maximum" applies to money, decimal and integer facts, not to a boolean fact'],
  ['maxPlaces on an integer fact', (f) => (f.facts.handlerCount.maxPlaces = 2), 'misplaced_fact_key', 'facts.handlerCount.maxPlaces', '"maxPlaces" applies to money and decimal facts, not to a integer fact'],
  ['a format on a string fact with values', (f) => (f.facts.kind.format = 'instant'), 'misplaced_fact_key', 'facts.kind.format', '"format" applies to a string fact without "values", not to a string fact'],
  ['items on a string fact', (f) => (f.facts.closer.items = { type: 'string' }), 'misplaced_fact_key', 'facts.closer.items', '"items" declares the items of a list fact, not to a string fact'],
  ['fields on a list fact', (f) => (f.facts.handlers.fields = {}), 'misplaced_fact_key', 'facts.handlers.fields', '"fields" declares the fields of an object fact, not to a list fact'],
  ['items and values on one list', (f) => (f.facts.handlers.values = ['a']), 'misplaced_fact_key', 'facts.handlers.items', 'give "values" (a list of those strings) or "items", not both'],
  ['optional beside a default', (f) => (f.facts.referral.optional = true), 'misplaced_fact_key', 'facts.referral.optional', 'a fact with a "default" is never missing: leave out "optional"'],
  ['a default of the wrong type', (f) => (f.facts.contractSigned.default = 'yes'), 'bad_fact_default', 'facts.contractSigned.default', 'the default "yes" is not a value of this boolean fact'],
  ['a default null on a fact that is not nullable', (f) => (f.facts.kind.default = null), 'bad_fact_default', 'facts.kind.default', 'the default null is not a value of this string fact'],
  ['a default outside the values', (f) => (f.facts.kind.default = 'sale'), 'bad_fact_default', 'facts.kind.default', 'the default "sale" is not a value of this string fact'],
  ['a maximum below the minimum', (f) => (f.facts.pool.maximum = -1), 'empty_range', 'facts.pool.maximum', '"maximum" -1 is below "minimum" 0: no value fits'],
  ['a nested field defect, with its path', (f) => (f.facts.referral.fields.intentSigned.minimum = 0), 'minimum_on_non_number', 'facts.referral.fields.intentSigned.minimum', '"minimum" applies to money, decimal and integer facts'],
  ['a defect in the items of a list, with its path', (f) => (f.facts.handlers.items.minimum = 0), 'minimum_on_non_number', 'facts.handlers.items.minimum', '"minimum" applies to money, decimal and integer facts'],
  ['an integer default that is not whole', (f) => (f.facts.extra = { description: 'A fact only this test declares.', type: 'integer', default: 2.5 }), 'bad_fact_default', 'facts.extra.default', 'the default 2.5 is not a value of this integer fact'],
  ['an integer default given as text', (f) => (f.facts.extra = { description: 'A fact only this test declares.', type: 'integer', default: '3' }), 'bad_fact_default', 'facts.extra.default', 'the default "3" is not a value of this integer fact'],
  ['a money default that is no amount', (f) => (f.facts.extra = { description: 'A fact only this test declares.', type: 'money', default: 'lots' }), 'bad_fact_default', 'facts.extra.default', 'the default "lots" is not a value of this money fact'],
  ['a decimal default with an exponent', (f) => (f.facts.extra = { description: 'A fact only this test declares.', type: 'decimal', default: '1e3' }), 'bad_fact_default', 'facts.extra.default', 'the default "1e3" is not a value of this decimal fact'],
  ['a text default that is a number', (f) => (f.facts.extra = { description: 'A fact only this test declares.', type: 'string', default: 5 }), 'bad_fact_default', 'facts.extra.default', 'the default 5 is not a value of this string fact'],
  ['a date default (dates have none)', (f) => (f.facts.extra = { description: 'A fact only this test declares.', type: 'date', default: '2026-01-01' }), 'bad_fact_default', 'facts.extra.default', 'the default "2026-01-01" is not a value of this date fact'],
  ['a nested default that does not fit', (f) => (f.facts.referral.fields.intentSigned.default = 'no'), 'bad_fact_default', 'facts.referral.fields.intentSigned.default', 'the default "no" is not a value of this boolean fact'],
];

describe('facts block checks at load', () => {
  it('accepts every bundled block', () => {
    expect(problems(allocation())).toEqual([]);
  });

  it.each(defects)('%s', (_name, edit, code, path, message) => {
    const file = allocation();
    edit(file);
    expect(problems(file)).toEqual([{ code, path, message }]);
  });

  it.each<[string, (f: Json) => unknown]>([
    ['a range of one value', (f) => (f.facts.pool.maximum = 0)],
    ['a format on a string fact without values', (f) => (f.facts.closer.format = 'instant')],
    ['a whole integer default', (f) => (f.facts.extra = { description: 'A fact only this test declares.', type: 'integer', default: 3 })],
    ['a money default as a decimal string', (f) => (f.facts.extra = { description: 'A fact only this test declares.', type: 'money', default: '12.50' })],
    ['a decimal default as a number', (f) => (f.facts.extra = { description: 'A fact only this test declares.', type: 'decimal', default: 0.5 })],
    ['a free text default', (f) => (f.facts.extra = { description: 'A fact only this test declares.', type: 'string', default: 'any words' })],
    ['a default from the values', (f) => (f.facts.kind.default = 'intent')],
    ['a number as the default of a json fact', (f) => (f.facts.extra = { description: 'A fact only this test declares.', type: 'json', default: 7 })],
    ['null as the default of a nullable fact', (f) => (f.facts.extra = { description: 'A fact only this test declares.', type: 'integer', nullable: true, default: null })],
  ])('accepts %s', (_name, edit) => {
    const file = allocation();
    edit(file);
    expect(problems(file)).toEqual([]);
  });

  it('refuses an unknown word in a nested declaration', () => {
    const file = allocation();
    file.facts.referral.fields.referrerAgent.secret = true;
    expect(problems(file).map((p) => [p.code, p.path])).toEqual([['unknown_key', 'facts.referral.fields.referrerAgent']]);
  });
});
