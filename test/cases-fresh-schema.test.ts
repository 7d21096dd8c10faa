import { describe, expect, it } from 'vitest';
import { runCase } from '../src/core/cases.js';
import type { Evaluator } from '../src/core/cases.js';
import { evaluate } from '../src/index.js';
import { bundledCaseFiles } from './helpers/case-files.js';
import { freshSchema } from './helpers/fresh-schema.js';

// The case files again (test/cases.test.ts runs them with the schema each policy keeps), each case
// with a facts schema built for it: what the schema accepts and refuses is decided when it is
// built, so these runs check that construction case by case.
const evaluateAny = evaluate as unknown as Evaluator;
const AREAS = ['rules/review/', 'rules/follow-up/', 'rules/fulfilment/', 'rules/selling/'];

for (const { file, cases } of bundledCaseFiles().filter(({ file }) => AREAS.some((area) => file.replaceAll('\\', '/').startsWith(area)))) {
  describe(`${file} with a fresh facts schema`, () => {
    for (const testCase of cases.cases) {
      it(testCase.name, () => {
        const result = runCase(evaluateAny, cases.policy, testCase, cases.asOf, freshSchema({}));
        expect({ passed: result.passed, actual: result.actual }, `expected ${JSON.stringify(result.expected)}`).toMatchObject({ passed: true });
      });
    }
  });
}
