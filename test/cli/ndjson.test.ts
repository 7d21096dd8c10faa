import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const lines = ['{"amount":"1200000","channel":"direct"}', '', '{"amount":"x","channel":"direct"}', 'not json', '{"amount":1,"channel":"distributor"}'].join('\n');

describe('sales-policies eval --ndjson', () => {
  it('writes one line per input line, keeps bad lines in place, reports them and exits 1', () => {
    const { code, stdout, stderr } = runCli(['eval', 'review.approval', '--ndjson', '--no-trace', '--as-of', '2026-01-01'], { input: lines });
    expect(code).toBe(1);
    const out = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out.map((o) => `line ${o.line}: ${o.basis?.[0] ?? o.error?.code ?? (o.blank === true ? 'blank' : '?')}`)).toEqual(['line 1: REV-6.2', 'line 2: blank', 'line 3: INVALID_FACTS', 'line 4: INVALID_JSON', 'line 5: REV-6.1']);
    expect(out[2].error.issues[0]).toMatchObject({ path: 'amount', received: 'x' });
    expect(stderr).toContain('line 3: review.approval: the input has a problem');
    expect(stderr).toContain('5 lines: 2 decided, 2 bad, 1 blank');
  });

  it('stops at the first bad line with --fail-fast', () => {
    const { code, stdout } = runCli(['eval', 'review.approval', '--ndjson', '--fail-fast', '--as-of', '2026-01-01'], { input: lines });
    expect(code).toBe(1);
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l).line)).toEqual([1, 2, 3]);
  });

  it('exits 0 when every line decides, and agrees with eval on each', () => {
    const { code, stdout } = runCli(['eval', 'review.arbitration', '--ndjson', '--as-of', '2026-01-01'], { input: '{"clause":"price"}\n{"clause":"quality","firstRulingAccepted":false}\n' });
    expect(code).toBe(0);
    const single = JSON.parse(runCli(['eval', 'review.arbitration', '--facts', '-', '--as-of', '2026-01-01'], { input: '{"clause":"price"}' }).stdout);
    expect(JSON.parse(stdout.split('\n')[0]!)).toEqual({ line: 1, id: 1, ...single });
  });

  it.each([[['--ndjson', '--facts', 'x.json']], [['--fail-fast', '--facts', '-']], [['--ndjson', '--explain']]])('refuses %j as a usage error', (flags) => {
    expect(runCli(['eval', 'review.approval', ...flags]).code).toBe(2);
  });
});
