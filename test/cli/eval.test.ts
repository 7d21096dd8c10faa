import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

function run(args: string[], stdin = ''): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), stdin: () => stdin }) as number;
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'sales-policies-cli-'));
const factsFile = join(dir, 'facts.json');
writeFileSync(factsFile, JSON.stringify({ amount: '1200000', channel: 'direct' }));

describe('sales-policies eval', () => {
  it('prints the decision as JSON from a facts file', () => {
    const { code, out } = run(['eval', 'review.approval', '--facts', factsFile, '--as-of', '2026-01-01']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ policy: 'review.approval', outcome: { authority: 'sales_vp' }, basis: ['REV-6.2'] });
  });

  it('reads facts from standard input with --facts -', () => {
    const { code, out } = run(['eval', 'review.arbitration', '--facts', '-', '--as-of', '2026-01-01', '--no-trace'], '{"clause":"price"}');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ outcome: { decidedBy: 'finance_vp' } });
    expect(JSON.parse(out)).not.toHaveProperty('trace'); // left out, not an empty list
  });

  it('explains instead with --explain, in Chinese with --lang zh', () => {
    const { out } = run(['eval', 'review.arbitration', '--facts', '-', '--as-of', '2026-01-01', '--explain', '--lang', 'zh'], '{"clause":"price","firstRulingAccepted":false}');
    expect(out).toContain('經營決策領導小組');
  });

  it('prints every issue of bad facts and exits 1', () => {
    const { code, err, out } = run(['eval', 'review.approval', '--facts', '-'], '{"amount":"lots","channel":"retail"}');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('→ at amount');
    expect(err).toContain('→ at channel');
  });

  it.each([
    ['no verb', []],
    ['an unknown verb', ['evaluate']],
    ['no policy', ['eval']],
    ['an unknown policy', ['eval', 'review.aproval', '--facts', factsFile]],
    ['no --facts', ['eval', 'review.approval']],
    ['an unknown flag', ['eval', 'review.approval', '--facts', factsFile, '--fast']],
    ['a missing facts file', ['eval', 'review.approval', '--facts', join(dir, 'nope.json')]],
    ['a bad --lang', ['eval', 'review.approval', '--facts', factsFile, '--explain', '--lang', 'fr']],
  ])('exits 2 on a usage error: %s', (_name, args) => {
    expect(run(args).code).toBe(2);
  });

  it('exits 2 when the facts are not JSON', () => {
    const { code, err } = run(['eval', 'review.approval', '--facts', '-'], '{amount: 1');
    expect(code).toBe(2);
    expect(err).toContain('standard input is not JSON');
  });

  it.each([['--as-of', '2010-01-01'], ['--as-of', 'yesterday'], ['--time-zone', 'Mars/Olympus']])('exits 2 and says why for %s %s', (flag, value) => {
    const { code, err } = run(['eval', 'review.approval', '--facts', factsFile, flag, value]);
    expect(code).toBe(2);
    expect(err).toMatch(flag === '--as-of' ? /options\.asOf/ : /--time-zone: unknown time zone "Mars\/Olympus"/);
  });
});

describe('sales-policies demo', () => {
  it('explains every bundled case with --all and says all came out as expected', () => {
    const { code, out } = run(['demo', '--all']);
    expect(code).toBe(0);
    expect(out).toMatch(/(\d+) cases: \1 as expected\n/);
    expect(out).toContain('Decided by REV-6.5');
  });
});

describe('sales-policies policies / --version / --help', () => {
  it('lists the policy ids', () => {
    expect(run(['policies']).out.split('\n')).toContain('review.approval');
  });
  it('prints the version', () => {
    expect(run(['--version']).out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
  it('prints help and exits 0', () => {
    const { code, out } = run(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('Exit codes');
  });
});
