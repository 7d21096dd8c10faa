import { describe, expect, it } from 'vitest';
import { runCase } from '../src/core/cases.js';
import type { Evaluator } from '../src/core/cases.js';
import { evaluate, explain, POLICY_IDS } from '../src/index.js';
import { bundledCaseFiles } from './helpers/case-files.js';

// Every analyst-written example is its own named test: one loop over every *.cases.json.
const evaluateAny = evaluate as unknown as Evaluator;

for (const { file, cases } of bundledCaseFiles()) {
  describe(file, () => {
    for (const testCase of cases.cases) {
      it(testCase.name, () => {
        const result = runCase(evaluateAny, cases.policy, testCase, cases.asOf);
        const shown = 'decision' in result.actual ? { outcome: result.actual.decision.outcome, basis: result.actual.decision.basis, explanation: explain(result.actual.decision) } : result.actual;
        expect({ passed: result.passed, actual: shown }, `expected ${JSON.stringify(result.expected)}`).toMatchObject({ passed: true });
      });
    }
  });
}

describe('case files', () => {
  it('cover every bundled policy with at least one case', () => {
    const covered = new Set(bundledCaseFiles().map((f) => f.cases.policy));
    expect([...covered].sort()).toEqual([...POLICY_IDS].sort());
  });
});
