import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyStyles, colours, colourWanted } from '../../src/cli/colour.js';
import { ROOT } from '../helpers/case-files.js';
import { rulesFixture, runCli } from '../helpers/cli.js';

// The CLI as opa, eslint and `openfisca test` users expect it, end to end on the built dist/cli.js.

const VERBS = ['eval', 'validate', 'test', 'diff', 'docs', 'demo', 'policies', 'schemas', 'sql'];
const APPROVAL = 'review/approval.rules.json';
const raiseDirectorLimit = (json: any) => (json.parameters[0].values.directorLimit = 1_000_000);
/** A new version of the approval parameters from 2027-01-01 with the director's limit raised, as README "Changing a rule" recommends. */
const datedRaise = (json: any) => json.parameters.push({ from: '2027-01-01', values: { ...json.parameters[0].values, directorLimit: 1_000_000 } });
const json = (stdout: string) => JSON.parse(stdout) as any;

describe('--help on every verb, --version', () => {
  it.each(VERBS)('%s --help: usage, every flag, an example, exit codes; exit 0', (verb) => {
    const { code, stdout } = runCli([verb, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: sales-policies ${verb}\\b`));
    expect(stdout).toMatch(new RegExp(`Examples:\\n {2}sales-policies ${verb}( |$)`, 'm'));
    expect(stdout).toContain('-h, --help');
    expect(stdout).toContain('Exit codes: 0 ok, 1 findings, 2 usage error or unreadable input.');
    expect(runCli([verb, '-h']).stdout).toBe(stdout);
    expect(runCli(['help', verb]).stdout).toBe(stdout);
  });

  it('eval --help lists --rules, --as-of, --time-zone, --format and short flags', () => {
    const { stdout } = runCli(['eval', '--help']);
    for (const flag of ['-r, --rules DIR', '--as-of DATE', '--time-zone TZ', '-f, --format json|text', '--id FIELD', '--no-trace', '-e, --explain']) expect(stdout).toContain(flag);
  });

  it('the overview names every verb; --version and -V print the package version', () => {
    const { code, stdout } = runCli(['--help']);
    expect(code).toBe(0);
    for (const verb of VERBS) expect(stdout).toMatch(new RegExp(`^ {2}${verb} +\\S`, 'm'));
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(runCli(['--version']).stdout.trim()).toBe(version);
    expect(runCli(['-V']).stdout.trim()).toBe(version);
  });
});

describe('did you mean', () => {
  it.each([
    [['valdate'], 'unknown command "valdate"; did you mean "validate"?'],
    [['validate', '--rule', 'rules'], 'unknown flag --rule; did you mean "--rules"?'],
    [['eval', 'review.approval', '--fact', 'x.json'], 'unknown flag --fact; did you mean "--facts"?'],
    [['eval', 'review.aproval', '--facts', 'x.json'], 'unknown policy "review.aproval"; did you mean "review.approval"?'],
    [['demo', 'comission.allocation'], 'did you mean "commission.allocation"?'],
    [['docs', 'review.aproval'], 'did you mean "review.approval"?'],
    [['sql', 'review.aproval', '--dialect', 'duckdb'], 'did you mean "review.approval"?'],
    [['sql', 'review.approval', '--dialect', 'postgress'], '--dialect takes duckdb, postgres, not "postgress"; did you mean "postgres"?'],
    [['validate', '--format', 'jsno'], 'did you mean "json"?'],
    [['test', '--min-coverag', '90'], 'unknown flag --min-coverag; did you mean "--min-coverage"?'],
  ])('%j: exit 2 and the closest name', (args, message) => {
    const { code, stderr } = runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/^\s+at /m); // no stack trace
  });
});

describe('colour only on a terminal, never with NO_COLOR', () => {
  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: true }, { NO_COLOR: '' }, true],
    [{ isTTY: false }, {}, false],
    [{}, {}, false],
  ])('stream %j, env %j: %s', (stream, env, wanted) => {
    expect(colourWanted(stream, env)).toBe(wanted);
  });

  it('styles text only when colour is on; piped output has no escape codes', () => {
    const green = colours({ out: () => undefined, err: () => undefined, stdin: () => '', colour: true }).green('ok');
    expect(applyStyles(green, true)).toBe('\u001b[32mok\u001b[39m');
    expect(applyStyles(green, false)).toBe('ok');
    expect(colours({ out: () => undefined, err: () => undefined, stdin: () => '' }).green('ok')).toBe('ok');
    expect(runCli(['demo']).stdout).not.toContain('\u001b[');
    expect(runCli(['demo']).stdout).not.toContain('\uE000');
  });
});

describe('exit codes 0/1/2 as the README says', () => {
  it('validate --rules FILE is a usage error with a message, not a stack trace', () => {
    const { code, stderr } = runCli(['validate', '--rules', join(ROOT, 'package.json')]);
    expect(code).toBe(2);
    expect(stderr).toContain('--rules takes a folder of *.rules.json files');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('a rules folder that does not load is a finding (exit 1) naming the file and JSON path, on every deciding verb', () => {
    const broken = rulesFixture(APPROVAL, (json) => (json.rules[0].conditions.all[0].operator = 'gretr'));
    writeFileSync(join(broken, '..', 'facts.json'), '{"amount":"800000","channel":"direct"}');
    for (const args of [['eval', 'review.approval', '--facts', join(broken, '..', 'facts.json')], ['demo'], ['docs'], ['sql', 'review.approval', '--dialect', 'duckdb']]) {
      const { code, stderr } = runCli([...args, '--rules', broken]);
      expect({ args, code }).toEqual({ args, code: 1 });
      expect(stderr).toMatch(/review\/approval\.rules\.json → rules\[0\]\.conditions\.all\[0\]\.operator: unknown operator "gretr"/);
    }
  });
});

describe('--rules, --as-of and --time-zone on every deciding verb', () => {
  const ours = rulesFixture(APPROVAL, raiseDirectorLimit);
  const facts = join(ours, '..', 'facts.json');
  writeFileSync(facts, '{"amount":"800000","channel":"direct"}');

  it('eval, eval --explain and eval --ndjson decide with the folder given', () => {
    expect(json(runCli(['eval', 'review.approval', '--facts', facts, '--as-of', '2026-01-01']).stdout).outcome.authority).toBe('sales_vp');
    expect(json(runCli(['eval', 'review.approval', '--facts', facts, '--rules', ours, '--as-of', '2026-01-01']).stdout).outcome.authority).toBe('marketing_director');
    expect(runCli(['eval', 'review.approval', '--facts', facts, '-r', ours, '--as-of', '2026-01-01', '--explain']).stdout).toContain('amount lessThanInclusive "1000000" [param.directorLimit] (was "800000")');
    const line = json(runCli(['eval', 'review.approval', '--ndjson', '--rules', ours, '--as-of', '2026-01-01'], { input: readFileSync(facts, 'utf8') }).stdout);
    expect(line).toMatchObject({ line: 1, id: 1, outcome: { authority: 'marketing_director' }, basis: ['REV-6.1'] });
  });

  it('--time-zone decides which calendar date an instant falls on', () => {
    const at = (zone: string) => json(runCli(['eval', 'review.approval', '--facts', facts, '--as-of', '2026-12-31T20:00:00Z', '--time-zone', zone]).stdout).asOf;
    expect(at('Asia/Shanghai')).toBe('2027-01-01');
    expect(at('UTC')).toBe('2026-12-31');
    expect(runCli(['docs', 'review.approval', '--as-of', '2026-12-31T20:00:00Z', '--time-zone', 'Asia/Shanghai']).stdout).toMatch(/^# .*\(2027-01-01\)/);
    expect(runCli(['demo', '--time-zone', 'Mars/Olympus']).code).toBe(2);
  });

  it('demo and docs take policy ids and --rules', () => {
    const demo = runCli(['demo', 'review.approval', '--rules', ours]);
    expect(demo.code).toBe(1); // the raised limit breaks some approval cases: they are findings, shown in full
    expect(demo.stdout).toContain('━━ review.approval');
    expect(demo.stdout).not.toContain('━━ review.arbitration');
    expect(demo.stdout).toMatch(/✗ NOT AS EXPECTED: direct 500000\.01, not disputed/);
    const docs = runCli(['docs', 'review.approval', 'review.arbitration', '--rules', ours, '--as-of', '2026-01-01']);
    expect(docs.stdout).toContain('directorLimit (1000000)');
    expect(docs.stdout).toContain('## review.arbitration');
    expect(docs.stdout).not.toContain('## commission.');
  });
});

describe('demo: a first run a person can read', () => {
  it('prints one explained example per policy, then the count; --all explains every case', () => {
    const { code, stdout } = runCli(['demo']);
    expect(code).toBe(0);
    const [, total, asExpected] = /\n(\d+) cases: (\d+) as expected/.exec(stdout) ?? [];
    expect(Number(total)).toBeGreaterThan(400);
    expect(asExpected).toBe(total);
    expect(stdout.match(/^✓ /gm)!.length).toBe(stdout.match(/^━━ /gm)!.length); // one example per case file
    expect(stdout.split('\n').length).toBeLessThan(200);
    const all = runCli(['demo', '--all']).stdout;
    expect(all.match(/^✓ /gm)).toHaveLength(Number(total));
  });
});

describe('--format json on every verb', () => {
  const after = rulesFixture(APPROVAL, raiseDirectorLimit);
  it.each([
    ['eval', ['eval', 'review.arbitration', '--facts', '-', '--as-of', '2026-01-01', '--format', 'json'], (o: any) => expect(o).toMatchObject({ policy: 'review.arbitration', asOf: '2026-01-01', outcome: { decidedBy: 'finance_vp' }, basis: expect.any(Array), trace: expect.any(Array) })],
    ['validate', ['validate', '-f', 'json'], (o: any) => expect(o).toMatchObject({ files: expect.any(Array), errors: 0, warnings: expect.any(Number), findings: expect.any(Array) })],
    ['test', ['test', '--format', 'json'], (o: any) => expect(o).toMatchObject({ passed: expect.any(Number), failed: 0, coverage: { percent: 100 } })],
    ['diff', ['diff', join(ROOT, 'rules'), after, '--as-of', '2026-01-01', '--format', 'json'], (o: any) => expect(o[0]).toMatchObject({ policy: 'review.approval', kind: expect.any(String), input: expect.any(String), before: { basis: expect.any(Array) }, after: { basis: expect.any(Array) }, from: '2026-01-01' })],
    ['docs', ['docs', 'review.approval', '--as-of', '2026-01-01', '--format', 'json'], (o: any) => expect(o).toMatchObject({ asOf: '2026-01-01', lang: 'en', policies: [{ policy: 'review.approval', file: expect.stringContaining('approval.rules.json'), markdown: expect.stringContaining('| REV-6.2 |') }] })],
    ['policies', ['policies', '--format', 'json'], (o: any) => expect(o.policies).toContain('review.approval')],
    ['demo', ['demo', 'review.arbitration', '--format', 'json'], (o: any) => expect(o).toMatchObject({ cases: expect.any(Number), asExpected: o.cases, files: [{ policy: 'review.arbitration', shown: [{ passed: true, decision: { policy: 'review.arbitration' } }] }] })],
    ['sql', ['sql', 'review.approval', '--dialect', 'postgres', '--as-of', '2026-01-01', '--format', 'json'], (o: any) => expect(o).toMatchObject({ policy: 'review.approval', dialect: 'postgres', sql: expect.stringContaining('SELECT'), inputs: expect.any(Array), outputs: expect.any(Array) })],
  ])('%s', (_verb, args, check) => {
    const { code, stdout } = runCli(args as string[], { input: '{"clause":"price"}' });
    expect(code).toBe(0);
    (check as (o: unknown) => void)(JSON.parse(stdout));
  });

  it('--no-trace leaves "trace" out rather than printing an empty list', () => {
    const decision = json(runCli(['eval', 'review.arbitration', '--facts', '-', '--no-trace', '-f', 'json'], { input: '{"clause":"price"}' }).stdout);
    expect(decision).not.toHaveProperty('trace');
    const traced = json(runCli(['eval', 'review.arbitration', '--facts', '-', '-f', 'json'], { input: '{"clause":"price"}' }).stdout);
    expect(traced.trace.length).toBeGreaterThan(0);
    const { trace: _trace, ...rest } = traced;
    expect(decision).toEqual(rest);
  });

  it('bad facts come back as JSON issues on stdout, exit 1; a usage error as JSON, exit 2', () => {
    const bad = runCli(['eval', 'review.approval', '--facts', '-', '--format', 'json'], { input: '{"amount":"lots","channel":"retail"}' });
    expect(bad.code).toBe(1);
    expect(json(bad.stdout).error).toMatchObject({ code: 'INVALID_FACTS', issues: [{ path: 'amount', received: 'lots' }, { path: 'channel', received: 'retail' }] });
    const usage = runCli(['eval', 'review.aproval', '--facts', '-', '--format', 'json']);
    expect(usage.code).toBe(2);
    expect(json(usage.stdout).error).toMatchObject({ code: 'USAGE', message: expect.stringContaining('did you mean "review.approval"') });
    const broken = runCli(['diff', join(ROOT, 'rules'), rulesFixture(APPROVAL, (j) => (j.policy = 'review.aproval')), '--format', 'json']);
    expect(broken.code).toBe(1);
    expect(json(broken.stdout).error).toMatchObject({ code: 'INVALID_RULE_SET', issues: [{ path: 'policy' }] });
  });
});

describe('diff across parameter dates', () => {
  const before = join(ROOT, 'rules');

  it('finds a change that applies from a future version, and says from which date', () => {
    const after = rulesFixture(APPROVAL, datedRaise);
    const { code, stdout } = runCli(['diff', before, after, '--fail-on-change']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^review\.approval: \d+ changes from 2027-01-01$/m);
    expect(stdout).toContain('amount in (500000, 1000000), channel=direct, disputed=false');
    const changes = json(runCli(['diff', before, after, '--format', 'json']).stdout);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c: { from: string; until?: string }) => c.from === '2027-01-01' && c.until === undefined)).toBe(true);
    expect(runCli(['diff', before, after, '--format', 'markdown']).stdout).toMatch(/^### review\.approval: \d+ changes from 2027-01-01$/m);
  });

  it('says until when a later version undoes the change', () => {
    const after = rulesFixture(APPROVAL, (json) => {
      datedRaise(json);
      json.parameters.push({ from: '2028-01-01', values: { ...json.parameters[0].values } });
    });
    const changes = json(runCli(['diff', before, after, '--format', 'json']).stdout);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c: { from: string; until?: string }) => c.from === '2027-01-01' && c.until === '2028-01-01')).toBe(true);
  });

  it('an edit in place changes decisions from the version\'s own date; a dated case applies from its date', () => {
    const after = rulesFixture(APPROVAL, raiseDirectorLimit);
    const from = json(runCli(['diff', before, after, '--format', 'json']).stdout).map((c: { kind: string; from: string; asOf?: string }) => `${c.kind} ${c.from} ${c.asOf ?? ''}`.trim());
    const versionFrom = JSON.parse(readFileSync(join(ROOT, 'rules', APPROVAL), 'utf8')).parameters[0].from as string;
    expect(new Set(from.filter((f: string) => f.startsWith('cell')))).toEqual(new Set([`cell ${versionFrom}`]));
    const cases = from.filter((f: string) => f.startsWith('case'));
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(c).toMatch(/^case (\S+) \1$/);
  });

  it('refuses a side that does not load: exit 1 with its issues, no diff', () => {
    const broken = rulesFixture(APPROVAL, (json) => (json.rules[0].conditions.all[0].operator = 'gretr'));
    const { code, stdout, stderr } = runCli(['diff', before, broken]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown operator "gretr"');
    expect(stderr).not.toContain('undefined');
  });
});

describe('eval --ndjson: lines that join back', () => {
  const input = ['{"id":"A-1","amount":"1200000","channel":"direct"}', '', '{"ref":"B-2","amount":1,"channel":"distributor"}', '{"amount":"x","channel":"direct"}'].join('\n');

  it('carries the input line and the row id (the id field, else the line number); keeps blank lines', () => {
    const { code, stdout } = runCli(['eval', 'review.approval', '--ndjson', '--no-trace', '--as-of', '2026-01-01'], { input });
    expect(code).toBe(1);
    const rows = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.line, r.id ?? null, r.basis?.[0] ?? r.error?.code ?? 'blank'])).toEqual([
      [1, 'A-1', 'REV-6.2'],
      [2, null, 'blank'],
      [3, 3, 'INVALID_FACTS'], // "ref" is no fact without --id ref
      [4, 4, 'INVALID_FACTS'],
    ]);
    expect(rows[0]).not.toHaveProperty('trace');
  });

  it('--id FIELD passes another field through as "id"', () => {
    const rows = runCli(['eval', 'review.approval', '--ndjson', '--id', 'ref', '--as-of', '2026-01-01'], { input }).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows[2]).toMatchObject({ line: 3, id: 'B-2', basis: ['REV-6.1'], trace: expect.any(Array) });
    expect(rows[0].error.issues[0]).toMatchObject({ path: 'id', code: 'unknown_field' });
  });

  it('--id without --ndjson or --engine duckdb is a usage error', () => {
    expect(runCli(['eval', 'review.approval', '--facts', '-', '--id', 'ref'], { input: '{}' }).code).toBe(2);
  });
});
