import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { versionAt } from '../../src/core/compile.js';
import { compileRuleFile } from '../../src/core/rule-loader.js';
import { POLICIES } from '../../src/policies.js';
import { chartableFacts, stepChart } from '../../src/toolkit/step-chart.js';
import { ROOT } from '../helpers/case-files.js';
import { engineOf } from '../../src/core/policy.js';

// A fixture copy of review.approval with thresholds of its own (400,000 and 2,000,000): the chart
// is tested on the engine, so an analyst's change to rules/ moves only the case files.
const FIXTURE = 'test/fixtures/engine/approval.rules.json';
const fixtureJson = (): { parameters: { from: string; values: Record<string, unknown> }[] } => JSON.parse(readFileSync(join(ROOT, FIXTURE), 'utf8'));
const approval = compileRuleFile(fixtureJson(), FIXTURE);
const version = versionAt(approval, '2026-01-01')!;

describe('stepChart', () => {
  it('plots authority against amount, one line per channel × disputed, at and between the thresholds', () => {
    const chart = stepChart(approval, version, 'amount')!;
    expect(chart.outcome).toBe('authority');
    expect(chart.split).toEqual(['channel', 'disputed']);
    expect(chart.categories).toEqual(['marketing_director', 'sales_vp', 'general_manager']);
    expect(chart.classes.map((c) => c.label)).toEqual(['amount in [0, 400000)', 'amount = 400000', 'amount in (400000, 2000000)', 'amount = 2000000', 'amount > 2000000']);
    expect(chart.held).toEqual({ priceChanged: false, repeatBatch: false, technicalTermsChanged: false });
    const line = (label: string) => chart.series.find((s) => s.label === label)!.steps.map((i) => chart.categories[i]);
    expect(line('channel=direct, disputed=false')).toEqual(['marketing_director', 'marketing_director', 'sales_vp', 'general_manager', 'general_manager']);
    expect(line('channel=direct, disputed=true')).toEqual(['sales_vp', 'sales_vp', 'general_manager', 'general_manager', 'general_manager']);
    // D-REV-2 (amended 2026-12): from vpLimit up a distributor order goes to the general manager too.
    expect(line('channel=distributor, disputed=false')).toEqual(['marketing_director', 'marketing_director', 'marketing_director', 'general_manager', 'general_manager']);
    expect(line('channel=distributor, disputed=true')).toEqual(['sales_vp', 'sales_vp', 'sales_vp', 'general_manager', 'general_manager']);
    expect(chart.series[0]!.basis[2]).toEqual(['REV-6.2']);
  });

  it('holds the other facts at the given values', () => {
    const chart = stepChart(approval, version, 'amount', { held: { repeatBatch: true, priceChanged: 'nonsense' } })!;
    expect(chart.held).toMatchObject({ repeatBatch: true, priceChanged: false });
    const line = chart.series.find((s) => s.label === 'channel=direct, disputed=false')!;
    expect(line.steps.map((i) => chart.categories[i])).toEqual(Array(5).fill('marketing_director'));
  });

  it('follows the parameters of the version', () => {
    const json = fixtureJson();
    json.parameters.push({ from: '2027-01-01', values: { ...json.parameters[0]!.values, directorLimit: 1_000_000 } });
    const raised = compileRuleFile(json, 'raised.rules.json');
    const chart = stepChart(raised, versionAt(raised, '2027-01-01')!, 'amount')!;
    expect(chart.classes[1]).toMatchObject({ kind: 'point', value: '1000000' });
    expect(chart.classes[2]).toMatchObject({ kind: 'interval', low: '1000000', high: '2000000' });
  });

  it('charts only numeric facts a caller gives and the rules compare with a threshold', () => {
    for (const id of ['review.arbitration', 'review.readiness', 'followUp.workflow', 'followUp.escalation'] as const) {
      const compiled = engineOf(POLICIES[id]).compiled();
      expect(chartableFacts(compiled, compiled.versions[0]!)).toEqual([]);
      expect(stepChart(compiled, compiled.versions[0]!, 'amount')).toBeUndefined();
    }
    expect(chartableFacts(approval, version)).toEqual(['amount']);
  });
});
