import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clip, PAGE_IMPACT_LIMITS, pageImpact } from '../../src/cli/docs-impact.js';
import { explorerHtml, jsonForScript } from '../../src/cli/explorer-html.js';
import type { ExplorerData } from '../../src/explorer/data.js';
import type { ImpactReport, ImpactTransition } from '../../src/toolkit/impact.js';
import { fromFen, impact, toFen } from '../../src/toolkit/impact.js';
import { ROOT } from '../helpers/case-files.js';
import { HOSTILE_STRINGS } from '../helpers/hostile.js';

// What `docs --html --data` embeds of an impact report: bounded (the file and the rules are
// untrusted, the page has a budget), exact (counts and money add up), and only ever data.

const LABELS = { data: 'history.ndjson', base: 'the bundled rules', rules: 'rules', asOf: { date: '2026-01-01' } } as const;
const BUNDLED_APPROVAL = JSON.parse(readFileSync(join(ROOT, 'rules', 'review', 'approval.rules.json'), 'utf8'));
const LOWER_VP = (() => {
  // The bundled approval rules with the VP limit lowered, as a rule set evaluate takes.
  const approval = structuredClone(BUNDLED_APPROVAL);
  approval.parameters[0].values.vpLimit = 2_000_000;
  return { 'review.approval': approval };
})();

/** A report as impact writes one, with `n` transitions, refusals and agents, every text `text(i)`. */
function bigReport(n: number, text: (i: number) => string): ImpactReport {
  const transitions: ImpactTransition[] = Array.from({ length: n }, (_, i) => ({
    before: { outcome: { authority: text(i), route: [text(i + 1)] }, basis: [`R-${i}`] },
    after: { outcome: { authority: text(i + 2) }, basis: [`R-${i + 1}`] },
    outcomeChanged: true,
    count: n - i,
    examples: [text(i), text(i + 3), { id: text(i) }],
  }));
  const agents = Array.from({ length: n }, (_, i) => ({ agent: `${text(i)}${i}`, before: fromFen(BigInt(1000 * (n - i) + 1)), after: '0.00', difference: fromFen(-BigInt(1000 * (n - i) + 1)) }));
  const moved = agents.reduce((sum, a) => sum + toFen(a.before), 0n);
  return {
    policy: 'commission.allocation',
    rows: 10 * n,
    decided: 9 * n,
    changed: (n * (n + 1)) / 2,
    basisChanged: 0,
    refusedByBoth: { INVALID_FACTS: 3, INVALID_JSON: 1 },
    transitions,
    otherTransitions: { count: 7, transitions: 2 },
    refusals: Array.from({ length: n }, (_, i) => ({ refusedBy: i % 2 === 0 ? 'rules' : 'base', code: 'RULE_GAP', count: n - i, examples: [text(i)], message: text(i).repeat(50) })),
    money: {
      agents: [...agents, { agent: 'wang', before: '0.00', after: fromFen(moved), difference: fromFen(moved) }],
      unallocated: { before: '0.00', after: '0.00', difference: '0.00' },
      total: { before: fromFen(moved), after: fromFen(moved), difference: '0.00' },
    },
  };
}

const embeddedBytes = (value: unknown) => jsonForScript(value).length;

describe('pageImpact: what the explorer page embeds of an impact report', () => {
  it('keeps a real report whole: the counts, each transition with its basis, its ids as text', async () => {
    const rows = [
      { id: 'C-1', amount: '100000', channel: 'direct' },
      { id: 'C-2', amount: '2000000', channel: 'direct' },
      { id: 7, amount: '2999999.99', channel: 'direct' },
      { id: 'C-4', amount: 'lots', channel: 'direct' },
    ];
    const report = await impact('review.approval', rows, { base: undefined, rules: LOWER_VP, asOf: '2026-01-01' });
    const shown = pageImpact(report, LABELS);
    expect(shown).toMatchObject({ policy: 'review.approval', data: 'history.ndjson', rows: 4, decided: 3, changed: 2, basisChanged: 0, refusedByBoth: [{ code: 'INVALID_FACTS', count: 1 }], otherTransitions: { count: 0, transitions: 0 }, refusals: [] });
    expect(shown.transitions).toEqual([
      {
        before: { outcome: 'authority=sales_vp route=[technical, materials, manufacturing, quality, finance, legal, marketing_director, sales_vp]', basis: ['REV-6.2'] },
        after: { outcome: 'authority=general_manager route=[technical, materials, manufacturing, quality, finance, legal, marketing_director, sales_vp, general_manager]', basis: ['REV-6.3'] },
        outcomeChanged: true,
        count: 2,
        examples: ['C-2', '7'],
      },
    ]);
    expect(shown.money).toBeUndefined();
  });

  it('lists at most the limits, counts the rest, and the money still adds up to the total, exactly', () => {
    const report = bigReport(80, (i) => `agent-${i}`);
    const shown = pageImpact(report, LABELS, Infinity);
    expect(shown.transitions).toHaveLength(PAGE_IMPACT_LIMITS.transitions);
    expect(shown.transitions.map((t) => t.count)).toEqual(report.transitions.slice(0, PAGE_IMPACT_LIMITS.transitions).map((t) => t.count));
    const listed = shown.transitions.reduce((sum, t) => sum + t.count, 0);
    expect(listed + shown.otherTransitions.count).toBe(report.changed + report.otherTransitions.count);
    expect(shown.otherTransitions.transitions).toBe(80 - PAGE_IMPACT_LIMITS.transitions + 2);
    expect(shown.transitions.every((t) => t.examples.length === PAGE_IMPACT_LIMITS.examples)).toBe(true);
    expect(shown.transitions[0]!.examples[2]).toBe('{"id":"agent-0"}');
    expect(shown.refusals).toHaveLength(PAGE_IMPACT_LIMITS.refusals);
    expect(shown.refusals.reduce((sum, r) => sum + r.count, 0) + shown.otherRefusals.count).toBe(report.refusals.reduce((sum, r) => sum + r.count, 0));
    expect(shown.refusals[0]!.message).toHaveLength(PAGE_IMPACT_LIMITS.message);
    expect(shown.refusedByBoth).toEqual([{ code: 'INVALID_FACTS', count: 3 }, { code: 'INVALID_JSON', count: 1 }]);
    const money = shown.money!;
    expect(money.agents).toHaveLength(PAGE_IMPACT_LIMITS.agents);
    expect(money.others?.agents).toBe(81 - PAGE_IMPACT_LIMITS.agents);
    for (const side of ['before', 'after', 'difference'] as const) {
      const sum = [...money.agents, money.others!, money.unallocated].reduce((total, m) => total + toFen(m[side]), 0n);
      expect(fromFen(sum), side).toBe(money.total[side]);
    }
  });

  it('holds the escaped JSON to its byte budget, whatever the texts, by listing fewer (least frequent first)', () => {
    const worst = bigReport(80, () => '<'.repeat(5_000));
    const shown = pageImpact(worst, LABELS);
    expect(embeddedBytes(shown)).toBeLessThanOrEqual(PAGE_IMPACT_LIMITS.bytes);
    expect(shown.transitions.length).toBeGreaterThanOrEqual(1);
    expect(shown.transitions[0]!.count).toBe(80);
    expect(shown.transitions.reduce((sum, t) => sum + t.count, 0) + shown.otherTransitions.count).toBe(worst.changed + 7);
    expect(shown.transitions[0]!.before.outcome).toHaveLength(PAGE_IMPACT_LIMITS.outcome);
    expect(shown.transitions[0]!.examples[0]).toHaveLength(PAGE_IMPACT_LIMITS.id);
  });

  it('clips text without splitting a surrogate pair', () => {
    expect(clip('C-0000016', 4)).toBe('C-0…');
    expect(clip('ab😀cd', 4)).toBe('ab…');
    expect(clip('short', 64)).toBe('short');
  });

  it('embeds hostile ids, agents and messages as data: no </script>, no comment opener, the same strings parsed back', () => {
    const whole = bigReport(HOSTILE_STRINGS.length, (i) => HOSTILE_STRINGS[i % HOSTILE_STRINGS.length]!);
    // A few transitions and refusals, so every agent fits the budget and is listed.
    const report = { ...whole, transitions: whole.transitions.slice(0, 4), refusals: whole.refusals.slice(0, 2) };
    const shown = pageImpact(report, { ...LABELS, data: '</script><script>alert(1)</script>.ndjson' });
    const data: ExplorerData = { version: '0.0.0', source: 'x', bundled: false, asOf: '2026-01-01', lang: 'en', policies: [{ id: 'commission.allocation', file: 'c.rules.json', examples: [] }], rules: {}, impact: shown };
    const html = explorerHtml('console.log(1)', data);
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain('<!--');
    const json = /<script type="application\/json" id="explorer-data">([^<]*)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(data)));
    const agents = shown.money!.agents.map((m) => m.agent);
    expect(HOSTILE_STRINGS.filter((text, i) => !agents.includes(`${text}${i}`))).toEqual([]);
  });
});
