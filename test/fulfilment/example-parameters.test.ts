import { describe, expect, it } from 'vitest';
import holdRules from '../../rules/fulfilment/shipment-hold.rules.json' with { type: 'json' };
import spendingRules from '../../rules/fulfilment/spending.rules.json' with { type: 'json' };
import { evaluate } from '../../src/index.js';
import { policyShape } from '../../src/toolkit/policy-shape.js';
import { validateRuleFile } from '../../src/toolkit/validate.js';
import { runCli } from '../helpers/cli.js';

// SPEC §4: thresholds the source does not give ship as example values; a decision that used one
// says so in `warnings`, and `validate` lists each one still in use.
const warning = (name: string) => `${name} is an example value, not from the source: set your organisation's own`;
const asOf = '2026-01-01';

const EXAMPLES = [
  { file: 'rules/fulfilment/shipment-hold.rules.json', json: holdRules, parameter: 'maxOverdueDays' },
  { file: 'rules/fulfilment/shipment-hold.rules.json', json: holdRules, parameter: 'maxReturnRate' },
  { file: 'rules/fulfilment/spending.rules.json', json: spendingRules, parameter: 'chiefSpendingLimit' },
] as const;

describe('example parameters', () => {
  it.each([
    ['no grounds', { oldestOverdueDays: 0, returnRate: 0 }],
    ['every ground', { oldestOverdueDays: 91, returnRate: 1, specialCircumstance: true }],
  ])('fulfilment.shipmentHold warns of both thresholds on every decision (%s)', (_name, facts) => {
    expect(evaluate('fulfilment.shipmentHold', facts, { asOf }).warnings).toEqual([warning('maxOverdueDays'), warning('maxReturnRate')]);
  });

  it.each([0, '10000', '10000.01'])('fulfilment.spending warns of chiefSpendingLimit (amount %s), also without a trace', (amount) => {
    expect(evaluate('fulfilment.spending', { amount }, { asOf }).warnings).toEqual([warning('chiefSpendingLimit')]);
    expect(evaluate('fulfilment.spending', { amount }, { asOf, trace: false }).warnings).toEqual([warning('chiefSpendingLimit')]);
  });

  it('each warning also comes with its code and parameter, in the same order, for programs', () => {
    const decision = evaluate('fulfilment.shipmentHold', { oldestOverdueDays: 0, returnRate: 0 }, { asOf });
    expect(decision.warningDetails).toEqual([
      { code: 'example_parameter', parameter: 'maxOverdueDays', message: warning('maxOverdueDays') },
      { code: 'example_parameter', parameter: 'maxReturnRate', message: warning('maxReturnRate') },
    ]);
    expect(decision.warningDetails?.map((detail) => detail.message)).toEqual(decision.warnings);
  });

  it('policies without example values carry no warnings', () => {
    expect(evaluate('fulfilment.shippingOrder', { orderedQuantity: 1, shippedBefore: 0, quantity: 1, contractDeadline: '2026-01-02', plannedArrival: '2026-01-02' }, { asOf })).not.toHaveProperty('warningDetails');
    expect(evaluate('fulfilment.shippingOrder', { orderedQuantity: 1, shippedBefore: 0, quantity: 1, contractDeadline: '2026-01-02', plannedArrival: '2026-01-02' }, { asOf })).not.toHaveProperty('warnings');
    expect(evaluate('fulfilment.dailyReport', { orders: [] }, { asOf })).not.toHaveProperty('warnings');
    expect(evaluate('selling.closingTechnique', { delaying: true }, { asOf })).not.toHaveProperty('warnings');
  });

  it('warns only of the parameters still marked as examples once an organisation sets some', () => {
    const custom = structuredClone(holdRules) as any;
    custom.parameters.push({ from: '2026-06-01', values: { ...custom.parameters[0].values, maxOverdueDays: 60 } });
    expect(evaluate('fulfilment.shipmentHold', { oldestOverdueDays: 61, returnRate: 0 }, { asOf: '2026-06-01', rules: custom }).warnings).toEqual([warning('maxReturnRate')]);
    // Before the organisation's version, the bundled example values (and both warnings) apply.
    expect(evaluate('fulfilment.shipmentHold', { oldestOverdueDays: 61, returnRate: 0 }, { asOf: '2026-05-31', rules: custom }).warnings).toEqual([warning('maxOverdueDays'), warning('maxReturnRate')]);
  });

  it.each(EXAMPLES)('validate lists $parameter as a warning, and nothing else', ({ file, json, parameter }) => {
    const findings = validateRuleFile(json, file, { policy: policyShape(json.policy) });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(findings).toContainEqual({ severity: 'warning', code: 'example_parameter', file, path: `parameters[0].values.${parameter}`, message: warning(parameter) });
  });

  it('validate stops listing a parameter once it is no longer an example', () => {
    const custom = structuredClone(spendingRules) as any;
    custom.parameters[0].values.chiefSpendingLimit = 20000;
    expect(validateRuleFile(custom, 'spending.rules.json', { policy: policyShape('fulfilment.spending') })).toEqual([]);
  });

  it('the CLI reports the example parameters as warnings, with exit 0', () => {
    const { code, stdout, stderr } = runCli(['validate']);
    expect(code).toBe(0);
    for (const { parameter } of EXAMPLES) expect(stdout).toMatch(new RegExp(`^warning \\S+:\\d+ parameters\\[0\\]\\.values\\.${parameter} \\[example_parameter\\]: ${parameter} is an example value`, 'm'));
    expect(stderr).toMatch(/0 errors, 3 warnings/);
  });
});
