import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import allocationRules from '../../rules/commission/allocation.rules.json' with { type: 'json' };
import approvalRules from '../../rules/review/approval.rules.json' with { type: 'json' };
import { FactsFileError, impact, readFactsFile, UnreadableRow } from '../../src/node/index.js';
import { PolicyInputError, UnknownPolicyError } from '../../src/index.js';
import { fromFen, toFen } from '../../src/toolkit/impact.js';

const AS_OF = '2026-01-01';
type Json = any;

/** The bundled approval rules with one edit. */
function approval(edit: (json: Json) => void): Record<string, unknown> {
  const json = structuredClone(approvalRules) as Json;
  edit(json);
  return { 'review.approval': json };
}
const BASE = approval(() => {});
/** vpLimit 3,000,000 → 2,000,000. */
const LOWER_VP = approval((json) => {
  json.parameters[0].values.vpLimit = 2_000_000;
});

const contract = (id: string, amount: string | number, extra: Record<string, unknown> = {}) => ({ id, amount, channel: 'direct', ...extra });

describe('impact: review.approval, the VP limit lowered from 3,000,000 to 2,000,000', () => {
  const rows = [
    contract('C-1', '100000'), // marketing_director either way
    contract('C-2', '1999999.99'), // sales_vp either way
    contract('C-3', '2000000'), // sales_vp → general_manager (lessThan the limit)
    contract('C-4', '2500000'), // sales_vp → general_manager
    contract('C-5', '2999999.99'), // sales_vp → general_manager
    contract('C-6', '3000000'), // general_manager either way
    contract('C-7', 'lots'), // refused by both
  ];

  it('counts rows decided, rows changed and each transition with its basis and example ids', async () => {
    const report = await impact('review.approval', rows, { base: BASE, rules: LOWER_VP, asOf: AS_OF });
    expect(report).toMatchObject({ policy: 'review.approval', rows: 7, decided: 6, changed: 3, basisChanged: 0, refusedByBoth: { INVALID_FACTS: 1 }, refusals: [], otherTransitions: { count: 0, transitions: 0 } });
    expect(report.transitions).toHaveLength(1);
    const [t] = report.transitions;
    expect(t).toMatchObject({ count: 3, outcomeChanged: true, examples: ['C-3', 'C-4', 'C-5'] });
    expect(t!.before).toMatchObject({ outcome: { authority: 'sales_vp' }, basis: ['REV-6.2'] });
    expect(t!.after).toMatchObject({ outcome: { authority: 'general_manager' }, basis: ['REV-6.3'] });
    expect(report.money).toBeUndefined();
  });

  it('keeps at most `examples` ids per transition, and rows without an id are known by their position', async () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ amount: 2_000_000 + i, channel: 'direct' }));
    const report = await impact('review.approval', many, { base: BASE, rules: LOWER_VP, asOf: AS_OF, examples: 2 });
    expect(report.transitions[0]).toMatchObject({ count: 50, examples: [1, 2] });
  });

  it('the same rules change nothing', async () => {
    const report = await impact('review.approval', rows, { base: BASE, rules: BASE, asOf: AS_OF });
    expect(report).toMatchObject({ decided: 6, changed: 0, transitions: [] });
  });

  it('reads the id from idField and the date from asOfField: a dated version shows from its date on', async () => {
    const dated = approval((json) => {
      json.parameters.push({ from: '2027-01-01', values: { ...json.parameters[0].values, vpLimit: 2_000_000 } });
    });
    const history = [
      { ref: 'A', signedOn: '2026-12-31', amount: '2500000', channel: 'direct' },
      { ref: 'B', signedOn: '2027-01-01', amount: '2500000', channel: 'direct' },
      { ref: 'C', signedOn: '2027-06-30', amount: '2500000', channel: 'direct' },
      { ref: 'D', signedOn: 'soon', amount: '2500000', channel: 'direct' },
    ];
    const report = await impact('review.approval', history, { base: BASE, rules: dated, idField: 'ref', asOfField: 'signedOn' });
    expect(report).toMatchObject({ rows: 4, decided: 3, changed: 2, refusedByBoth: { INVALID_OPTIONS: 1 } });
    expect(report.transitions[0]!.examples).toEqual(['B', 'C']);
  });

  it('lists the rows one side refuses and the other decides: a rule gap after, bad facts only one side checks', async () => {
    const gap = approval((json) => {
      json.rules = json.rules.filter((rule: Json) => rule.name !== 'REV-6.3');
    });
    const report = await impact('review.approval', rows, { base: BASE, rules: gap, asOf: AS_OF });
    expect(report.refusals).toEqual([{ refusedBy: 'rules', code: 'RULE_GAP', count: 1, examples: ['C-6'], message: expect.stringContaining('no rule decides') }]);
    expect(report).toMatchObject({ decided: 5, changed: 0 });
    const back = await impact('review.approval', rows, { base: gap, rules: BASE, asOf: AS_OF });
    expect(back.refusals).toMatchObject([{ refusedBy: 'base', code: 'RULE_GAP', count: 1 }]);
  });

  it('counts a row that could not be read as refused by both', async () => {
    const report = await impact('review.approval', [new UnreadableRow('INVALID_JSON', 'line 1: not JSON', 1), contract('C-1', 1)], { base: BASE, rules: LOWER_VP, asOf: AS_OF });
    expect(report).toMatchObject({ rows: 2, decided: 1, refusedByBoth: { INVALID_JSON: 1 } });
  });

  it('groups past maxTransitions into otherTransitions, so memory stays bounded', async () => {
    const lowerBoth = approval((json) => {
      Object.assign(json.parameters[0].values, { directorLimit: 100_000, vpLimit: 2_000_000 });
    });
    const report = await impact('review.approval', [contract('a', 2_500_000), contract('b', 200_000), contract('c', 300_000)], { base: BASE, rules: lowerBoth, asOf: AS_OF, maxTransitions: 1 });
    expect(report.changed).toBe(3);
    expect(report.transitions).toHaveLength(1);
    expect(report.otherTransitions).toEqual({ count: 2, transitions: 1 });
  });

  it('takes an async iterable, and reports progress', async () => {
    async function* stream() {
      for (let i = 0; i < 20_000; i++) yield contract(`R${i}`, i % 2 === 0 ? 2_500_000 : 10);
    }
    const seen: number[] = [];
    const report = await impact('review.approval', stream(), { base: BASE, rules: LOWER_VP, asOf: AS_OF, onProgress: (n) => seen.push(n) });
    expect(report).toMatchObject({ rows: 20_000, decided: 20_000, changed: 10_000 });
    expect(seen).toEqual([10_000, 20_000]);
  });

  it.each([
    ['an unknown policy', () => impact('review.aproval' as 'review.approval', [], { base: BASE, rules: BASE }), UnknownPolicyError],
    ['a bad asOf', () => impact('review.approval', [], { base: BASE, rules: BASE, asOf: '2026-02-30' }), PolicyInputError],
    ['a bad time zone', () => impact('review.approval', [], { base: BASE, rules: BASE, timeZone: 'Mars/Olympus' }), PolicyInputError],
    ['a bad time zone, with dates per row', () => impact('review.approval', [], { base: BASE, rules: BASE, timeZone: 'Mars/Olympus', asOfField: 'signedOn' }), PolicyInputError],
  ])('refuses %s before reading a row', async (_name, run, type) => {
    await expect(run()).rejects.toBeInstanceOf(type);
  });
});

// commission.allocation: two handlers who closed together get 50% each (COM-4, D-COM-6); the
// change gives the whole pool to the closer.
function allocation(edit: (json: Json) => void): Record<string, unknown> {
  const json = structuredClone(allocationRules) as Json;
  edit(json);
  return { 'commission.allocation': json };
}
const ALLOCATION = allocation(() => {});
const CLOSER_TAKES_ALL = allocation((json) => {
  const rule = json.rules.find((r: Json) => r.name === 'COM-4' && r.event.params.shares?.[0]?.role === 'handlers');
  rule.event.params.shares = [{ role: 'closer', percent: 100 }];
});
const NO_RULING = allocation((json) => {
  json.rules = json.rules.filter((r: Json) => r.name !== 'COM-14');
});
const lease = (id: string, pool: string | number, handlers: string[], receivingAgents = handlers) => ({ id, pool, kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers, closer: handlers[0], receivingAgents, protectedBy: null });

describe('impact: commission.allocation, the money that moves', () => {
  const deals = [
    lease('L-1', '10000.01', ['wang', 'li']), // li 5000.01 + wang 5000.00 → wang 10000.01
    lease('L-2', 8000, ['li', 'wang']), // li 4000 + wang 4000 → li 8000
    lease('L-3', '300.00', ['zhao']), // zhao 300 either way
    lease('L-4', '999.99', ['wang'], ['wang', 'li']), // needs_ruling (COM-14) either way
  ];

  it('per agent: before, after and the difference, exact in fen; the total is unchanged', async () => {
    const report = await impact('commission.allocation', deals, { base: ALLOCATION, rules: CLOSER_TAKES_ALL, asOf: AS_OF });
    expect(report).toMatchObject({ rows: 4, decided: 4, changed: 2 });
    expect(report.money).toEqual({
      agents: [
        { agent: 'li', before: '9000.01', after: '8000.00', difference: '-1000.01' },
        { agent: 'wang', before: '9000.00', after: '10000.01', difference: '1000.01' },
        { agent: 'zhao', before: '300.00', after: '300.00', difference: '0.00' },
      ],
      unallocated: { before: '0.00', after: '0.00', difference: '0.00' },
      total: { before: '18300.01', after: '18300.01', difference: '0.00' },
    });
    expect(report.transitions.map((t) => [t.before.basis, t.after.basis, t.count, t.examples])).toEqual([
      [['COM-4'], ['COM-4'], 1, ['L-1']],
      [['COM-4'], ['COM-4'], 1, ['L-2']],
    ]);
    // Transitions group outcomes without amounts: the shares keep agent and percent.
    expect(report.transitions[0]!.before.outcome).toEqual({ status: 'allocated', shares: [{ agent: 'li', percent: 50 }, { agent: 'wang', percent: 50 }] });
  });

  it('a pool one side allocates and the other refuses to decide is left out; one side allocating and the other not is "unallocated"', async () => {
    const ruling = allocation((json) => {
      const rule = json.rules.find((r: Json) => r.name === 'COM-4' && r.event.params.shares?.[0]?.role === 'handlers');
      rule.event.params = { status: 'needs_ruling', by: 'leasing_manager' };
    });
    const report = await impact('commission.allocation', deals, { base: ALLOCATION, rules: ruling, asOf: AS_OF });
    expect(report.money!.unallocated).toEqual({ before: '0.00', after: '18000.01', difference: '18000.01' });
    expect(report.money!.total).toEqual({ before: '18300.01', after: '18300.01', difference: '0.00' });
    const gap = await impact('commission.allocation', deals, { base: ALLOCATION, rules: NO_RULING, asOf: AS_OF });
    expect(gap.refusals).toMatchObject([{ refusedBy: 'rules', code: 'RULE_GAP', count: 1, examples: ['L-4'] }]);
    expect(gap.money!.total).toEqual({ before: '18300.01', after: '18300.01', difference: '0.00' });
  });

  const AGENTS = ['an', 'bo', 'li', 'wang', 'zhao'];
  const generatedLease = fc.record({
    fen: fc.bigInt({ min: 0n, max: 10n ** 20n }),
    handlers: fc.uniqueArray(fc.constantFrom(...AGENTS), { minLength: 1, maxLength: 3 }),
    extra: fc.uniqueArray(fc.constantFrom(...AGENTS), { maxLength: 2 }),
    signed: fc.boolean(),
  });
  const sides = fc.constantFrom(ALLOCATION, CLOSER_TAKES_ALL, NO_RULING);

  it('property: the money is conserved: Σ agents + unallocated is the same before and after, and is the pool of the rows both sides decide', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(generatedLease, { maxLength: 30 }), sides, sides, async (leases, base, rules) => {
        const rows = leases.map(({ fen, handlers, extra, signed }, i) => ({ ...lease(`G-${i}`, fromFen(fen), handlers, [...new Set([...handlers, ...extra])]), contractSigned: signed }));
        const report = await impact('commission.allocation', rows, { base, rules, asOf: AS_OF });
        const money = report.money!;
        const sum = (side: 'before' | 'after') => money.agents.reduce((total, agent) => total + toFen(agent[side]), toFen(money.unallocated[side]));
        expect(sum('before')).toBe(sum('after'));
        expect(money.agents.reduce((t, a) => t + toFen(a.difference), toFen(money.unallocated.difference))).toBe(0n);
        expect(toFen(money.total.before)).toBe(sum('before'));
        expect(money.total.difference).toBe('0.00');
        // Independently: the pool of every row both sides decide and at least one allocates.
        let pools = 0n;
        for (const row of rows) {
          const a = await impact('commission.allocation', [row], { base, rules: base, asOf: AS_OF });
          const b = await impact('commission.allocation', [row], { base: rules, rules, asOf: AS_OF });
          const allocated = (r: typeof a) => r.decided === 1 && r.money!.agents.length > 0;
          if (a.decided === 1 && b.decided === 1 && (allocated(a) || allocated(b))) pools += toFen(String(row.pool));
        }
        expect(sum('before')).toBe(pools);
      }),
      { numRuns: 100 },
    );
  });
});

describe('toFen and fromFen', () => {
  it.each([
    ['0.00', 0n],
    ['5000.01', 500001n],
    ['-0.05', -5n],
    ['123456789012345678901.99', 12345678901234567890199n],
  ])('%s ↔ %s fen', (amount, fen) => {
    expect(toFen(amount)).toBe(fen);
    expect(fromFen(fen)).toBe(amount);
  });
  it.each(['1', '1.5', '1.005', 'x', ''])('refuses %j', (amount) => {
    expect(() => toFen(amount)).toThrow(TypeError);
  });
});

describe('readFactsFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sales-policies-facts-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const read = async (path: string, options = {}) => {
    const rows: unknown[] = [];
    for await (const row of readFactsFile(path, options)) rows.push(row);
    return rows;
  };

  it('NDJSON: one object a line, blank lines skipped, a BOM and \\r dropped, a bad line kept as an UnreadableRow', async () => {
    const rows = await read(file('a.ndjson', '\uFEFF{"amount":"1","channel":"direct"}\r\n\n{"amount": 2}\nnot json\n{"last":true}'));
    expect(rows.slice(0, 2)).toEqual([{ amount: '1', channel: 'direct' }, { amount: 2 }]);
    expect(rows[2]).toBeInstanceOf(UnreadableRow);
    expect(rows[2]).toMatchObject({ code: 'INVALID_JSON', line: 4 });
    expect(rows[3]).toEqual({ last: true });
  });

  it('NDJSON: a line over maxRowLength is reported, not read', async () => {
    const rows = await read(file('long.ndjson', `{"a":"${'x'.repeat(5000)}"}\n{"b":1}\n`), { maxRowLength: 1000 });
    expect(rows[0]).toMatchObject({ code: 'LINE_TOO_LONG', line: 1 });
    expect(rows[1]).toEqual({ b: 1 });
  });

  it.each<[string, string, unknown]>([
    ['a decimal string stays exact', '1200000.50', '1200000.50'],
    ['a number that prints back as written', '8000', 8000],
    ['a number that does not', '9007199254740993', '9007199254740993'],
    ['true', 'true', true],
    ['false', 'false', false],
    ['null', 'null', null],
    ['a JSON list', '"[""wang"",""li""]"', ['wang', 'li']],
    ['a quoted cell is read by its text, as DuckDB reads it', '"true"', true],
    ['a quoted empty cell is the empty text', '""', ''],
    ['text', 'direct', 'direct'],
  ])('CSV cell: %s', async (_name, cell, value) => {
    expect(await read(file('cell.csv', `x,y\n${cell},1\n`))).toEqual([{ x: value, y: 1 }]);
  });

  it('CSV: quotes, doubled quotes, commas and line breaks inside quotes, \\r\\n, empty cells left out', async () => {
    const rows = await read(file('b.csv', 'id,note,amount\r\nA,"say ""hi"", then\nbreak",1\r\nB,,2\r\n\r\n"C",plain,3'));
    expect(rows).toEqual([{ id: 'A', note: 'say "hi", then\nbreak', amount: 1 }, { id: 'B', amount: 2 }, { id: 'C', note: 'plain', amount: 3 }]);
  });

  it('CSV: a record with the wrong number of fields or an unclosed quote is an UnreadableRow; a column named __proto__ is a plain member', async () => {
    const rows = await read(file('c.csv', '__proto__,b\n1,2,3\n{"polluted":1},2\n"open,2\n'));
    expect(rows[0]).toMatchObject({ code: 'INVALID_CSV', line: 1 });
    expect(Object.getPrototypeOf(rows[1])).toBe(Object.prototype);
    expect(Object.keys(rows[1] as object)).toEqual(['__proto__', 'b']);
    expect(rows[2]).toMatchObject({ code: 'INVALID_CSV', line: 3, message: expect.stringContaining('never closed') });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['a column named twice', 'a,a\n1,2\n'],
    ['an empty column name', 'a,,b\n1,2,3\n'],
  ])('CSV: %s is a FactsFileError', async (_name, text) => {
    await expect(read(file('d.csv', text))).rejects.toBeInstanceOf(FactsFileError);
  });

  it('a missing file is the file system error', async () => {
    await expect(read(join(dir, 'none.ndjson'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
