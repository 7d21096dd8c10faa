import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/case-files.js';

// docs/ci-workflow.yml, run as GitHub would on a project set up as its header says: the package
// installed (here: linked to this checkout's build), `init` run, the rules committed on main, and a
// pull request from a branch. Every `run:` step but `npm ci` is executed as written, with only
// what the runner provides (the base branch, RUNNER_TEMP, GITHUB_STEP_SUMMARY) filled in.
// It spawns git and npx many times, so it runs in one time-zone project only.
const run = process.env['TZ'] === 'UTC' ? describe : describe.skip;

interface Step {
  readonly name: string;
  readonly script: string;
}

/** The `run:` steps of a workflow, in order: single-line and `|` blocks (all this template uses). */
function steps(yaml: string): Step[] {
  const lines = yaml.split('\n');
  const out: Step[] = [];
  lines.forEach((line, index) => {
    const match = /^(\s*)(?:- )?run: (.*)$/.exec(line);
    if (!match) return;
    // The step's name: on a line above, up to the line that starts the step (`- `).
    let named = match[2]!;
    for (let at = index; at >= 0; at--) {
      const name = /^\s*(?:- )?name: (.*)$/.exec(lines[at]!)?.[1];
      if (name !== undefined) named = name;
      if (name !== undefined || (at < index && /^\s*- /.test(lines[at]!))) break;
    }
    if (match[2] !== '|') {
      out.push({ name: named, script: match[2]! });
      return;
    }
    const body: string[] = [];
    for (const next of lines.slice(index + 1)) {
      if (next.trim() !== '' && next.search(/\S/) <= match[1]!.length) break;
      body.push(next.trim() === '' ? '' : next.slice(match[1]!.length + 2));
    }
    out.push({ name: named, script: body.join('\n').trim() });
  });
  return out;
}

run('docs/ci-workflow.yml on a fresh init copy', () => {
  const workflow = readFileSync(join(ROOT, 'docs', 'ci-workflow.yml'), 'utf8');
  let clone = '';
  const git = (args: readonly string[], cwd = clone) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });

  function runSteps(yaml = workflow): { name: string; code: number; output: string }[] {
    const temp = mkdtempSync(join(tmpdir(), 'sales-policies-runner-'));
    const summary = join(temp, 'summary.md');
    writeFileSync(summary, '');
    const results = steps(yaml)
      .filter((step) => step.script !== 'npm ci')
      .map((step) => {
        const script = step.script.replaceAll('${{ github.base_ref }}', 'main');
        const result = spawnSync('bash', ['-e', '-c', script], { cwd: clone, encoding: 'utf8', env: { ...process.env, RUNNER_TEMP: temp, GITHUB_STEP_SUMMARY: summary, NO_COLOR: '1', npm_config_update_notifier: 'false' } });
        return { name: step.name, code: result.status ?? -1, output: result.stdout + result.stderr };
      });
    return [...results, { name: 'summary', code: 0, output: readFileSync(summary, 'utf8') }];
  }

  beforeAll(() => {
    const origin = mkdtempSync(join(tmpdir(), 'sales-policies-origin-'));
    git(['init', '-q', '-b', 'main'], origin);
    mkdirSync(join(origin, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(ROOT, join(origin, 'node_modules', 'sales-policies'));
    symlinkSync(join('..', 'sales-policies', 'dist', 'cli.js'), join(origin, 'node_modules', '.bin', 'sales-policies'));
    writeFileSync(join(origin, '.gitignore'), 'node_modules\n');
    execFileSync('npx', ['--no-install', 'sales-policies', 'init', 'rules'], { cwd: origin, encoding: 'utf8' });
    git(['add', '.'], origin);
    git(['commit', '-qm', 'our rules'], origin);
    clone = mkdtempSync(join(tmpdir(), 'sales-policies-clone-'));
    git(['clone', '-q', origin, clone], tmpdir());
    symlinkSync(join(origin, 'node_modules'), join(clone, 'node_modules'));
    git(['checkout', '-qb', 'pull-request']);
  }, 60_000);

  it('has the steps the template promises', () => {
    expect(steps(workflow).map((s) => s.name)).toEqual(['npm ci', 'Is the rule set sound?', 'Do the examples hold?', 'Which decisions change?', 'Decision tables of this version']);
  });

  it('passes on the unchanged copy: sound, every example holds, no decision changes', () => {
    const results = runSteps();
    expect(results.map(({ name, code }) => ({ name, code }))).toEqual(results.map(({ name }) => ({ name, code: 0 })));
    expect(results.find((r) => r.name === 'Is the rule set sound?')!.output).not.toMatch(/::error/);
    expect(results.at(-1)!.output).toContain('No decision changes.');
  }, 120_000);

  it('on a pull request raising a threshold: the examples fail, naming the rule, and the summary shows the change', () => {
    const path = join(clone, 'rules', 'review', 'approval.rules.json');
    const json = JSON.parse(readFileSync(path, 'utf8'));
    json.parameters[0].values.directorLimit = 1_000_000;
    writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
    git(['commit', '-qam', 'raise the director limit']);
    const results = runSteps();
    expect(results.map(({ name, code }) => ({ name, code }))).toEqual([
      { name: 'Is the rule set sound?', code: 0 },
      { name: 'Do the examples hold?', code: 1 },
      { name: 'Which decisions change?', code: 0 },
      { name: 'Decision tables of this version', code: 0 },
      { name: 'summary', code: 0 },
    ]);
    expect(results[1]!.output).toContain('✗ rules/review/approval.cases.json › direct 500000.01, not disputed: sales_vp (REV-6.2)');
    expect(results.at(-1)!.output).toMatch(/^### review\.approval: \d+ changes/m);
  }, 120_000);

  it('the optional impact step, uncommented, reports on a sample of history kept in the repository', () => {
    const at = workflow.indexOf("      # - name: What does it do to last year's decisions?");
    expect(at).toBeGreaterThan(0);
    const uncommented = workflow.slice(0, at) + workflow.slice(at).replace(/^(\s*)# ?/gm, '$1');
    mkdirSync(join(clone, 'history'), { recursive: true });
    const rows = [
      { policy: 'review.approval', id: 'C-1', signedOn: '2026-03-01', amount: '800000', channel: 'direct' },
      { policy: 'review.approval', id: 'C-2', signedOn: '2026-03-02', amount: '100000', channel: 'direct' },
    ];
    writeFileSync(join(clone, 'history', 'contracts.ndjson'), rows.map((row) => JSON.stringify(row)).join('\n'));
    git(['add', 'history']);
    git(['commit', '-qm', 'a sample of history']);
    const results = runSteps(uncommented);
    expect(results.find((r) => r.name === "What does it do to last year's decisions?")).toMatchObject({ code: 0 });
    expect(results.at(-1)!.output).toContain('### impact on review.approval');
    expect(results.at(-1)!.output).toMatch(/\| 1 \| authority=sales_vp .*\| authority=marketing_director .*\| C-1 \|/);
  }, 120_000);
});
