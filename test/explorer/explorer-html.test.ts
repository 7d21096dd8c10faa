import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPLORER_BUDGET_BYTES, explorerHtml, jsonForScript, scriptForHtml } from '../../src/cli/explorer-html.js';
import type { ExplorerData } from '../../src/explorer/data.js';
import { POLICY_IDS } from '../../src/policies.js';
import { ROOT } from '../helpers/case-files.js';
import { rulesFixture, runCli } from '../helpers/cli.js';

const out = () => join(mkdtempSync(join(tmpdir(), 'sales-policies-explorer-')), 'explorer.html');

/** The JSON the page embeds, parsed back. */
function embedded(html: string): ExplorerData {
  const match = /<script type="application\/json" id="explorer-data">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error('no embedded data');
  return JSON.parse(match[1]!) as ExplorerData;
}

const BREAKOUT = '</script><script>alert(1)</script><!-- & \u2028';

describe('explorerHtml', () => {
  const data: ExplorerData = { version: '0.0.0', source: 'x', bundled: false, asOf: '2026-01-01', lang: 'en', policies: [{ id: 'p', file: 'p.rules.json', examples: [] }], rules: { p: { description: BREAKOUT } } };

  it('embeds rule data so that </script> or <!-- in it cannot end the element, and it parses back the same', () => {
    const html = explorerHtml('console.log(1)', data);
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('<!-- &');
    expect(embedded(html)).toEqual(data);
    expect(jsonForScript({ quote: '</script>' })).toBe('{"quote":"\\u003c/script\\u003e"}');
  });

  it('keeps a script that writes </script> or <!-- inside the one element, meaning the same', () => {
    const code = 'var a = "</script><!--"; var b = "</SCRIPT>";';
    const safe = scriptForHtml(code);
    expect(safe).not.toMatch(/<\/script/i);
    expect(safe).not.toContain('<!--');
    expect(new Function(`${safe}; return [a, b];`)()).toEqual(['</script><!--', '</SCRIPT>']);
    expect(explorerHtml(code, data).match(/<\/script>/gi)).toHaveLength(2);
  });

  it('allows exactly its own script and style, and no connection, in its Content-Security-Policy', () => {
    const html = explorerHtml('console.log(1)', data);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-[A-Za-z0-9+/=]+';/);
    expect(csp).not.toContain('unsafe');
  });
});

describe('sales-policies docs --html', () => {
  it('writes one page under the budget with every policy, its rules and the script inline', () => {
    const file = out();
    const { code, stdout } = runCli(['docs', '--html', file, '--as-of', '2026-01-01']);
    expect(code).toBe(0);
    const html = readFileSync(file, 'utf8');
    const bytes = Buffer.byteLength(html, 'utf8');
    expect(stdout).toContain(`wrote ${file}: ${POLICY_IDS.length} policies, ${(bytes / 1024).toFixed(1)} KB (budget 352 KB), parameters as of 2026-01-01`);
    expect(bytes).toBeLessThan(EXPLORER_BUDGET_BYTES);
    const data = embedded(html);
    expect(data.policies.map((p) => p.id).sort()).toEqual([...POLICY_IDS].sort());
    expect(Object.keys(data.rules).sort()).toEqual([...POLICY_IDS].sort());
    expect(data).toMatchObject({ asOf: '2026-01-01', lang: 'en', bundled: true });
    for (const policy of data.policies) expect(policy.examples.length).toBeGreaterThan(0);
    expect(html).toContain('<html lang="en">');
    // Nothing in the page names a place to load from: no src attribute, no link but to its own sections.
    expect(html).not.toMatch(/\ssrc=/);
    expect(html).not.toMatch(/\shref=["'](?!#)/);
  });

  it('leaves the bundled rules out of the script: the page embeds each rule once', () => {
    const quote = '總經銷訂單及單項金額在50萬元以內';
    const count = (text: string) => text.split(quote).length - 1;
    expect(count(readFileSync(join(ROOT, 'dist', 'explorer.global.js'), 'utf8'))).toBe(0);
    const file = out();
    runCli(['docs', '--html', file, '--as-of', '2026-01-01']);
    expect(count(readFileSync(file, 'utf8'))).toBe(count(readFileSync(join(ROOT, 'rules', 'review', 'approval.rules.json'), 'utf8')));
  });

  it('takes --lang, --as-of and --rules', () => {
    const dir = rulesFixture('review/approval.rules.json', (json) => {
      json.description = `A description with ${BREAKOUT}`;
      json.parameters.push({ from: '2027-01-01', values: { ...json.parameters[0].values, directorLimit: 1_000_000 } });
    });
    for (const area of readdirSync(dir)) if (area !== 'review') rmSync(join(dir, area), { recursive: true });
    const file = out();
    const { code } = runCli(['docs', '--html', file, '--rules', dir, '--as-of', '2027-03-01', '--lang', 'zh']);
    expect(code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<html lang="zh">');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    const data = embedded(html);
    expect(data).toMatchObject({ asOf: '2027-03-01', lang: 'zh', bundled: false, source: dir });
    expect(data.policies.map((p) => p.id)).toEqual(['review.approval', 'review.arbitration', 'review.readiness']);
    expect((data.rules['review.approval'] as { description: string }).description).toBe(`A description with ${BREAKOUT}`);
    // Policies the folder lacks still have rules for evaluation inside others, but are not shown.
    expect(Object.keys(data.rules).sort()).toEqual([...POLICY_IDS].sort());
  });

  it('exits 2 on a usage error, 1 on rules that do not load, and writes nothing', () => {
    const file = out();
    const usage = (args: string[]) => runCli(['docs', ...args]);
    for (const args of [['--html'], ['--html', ''], ['--html', file, '--lang', 'fr'], ['--html', file, '--as-of', '2026-02-30'], ['--html', file, '--rules', join(file, 'missing')], ['--html', file, 'extra']]) {
      const result = usage(args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(/^sales-policies: /);
    }
    expect(existsSync(file)).toBe(false);
    const broken = rulesFixture('review/approval.rules.json', (json) => (json.rules[0].conditions.all[0].operator = 'lessThen'));
    expect(usage(['--html', file, '--rules', broken]).code).toBe(1); // a finding about the rules, as in every deciding verb
    expect(existsSync(file)).toBe(false);
    const unwritable = usage(['--html', join(dirname(file), 'no-such-dir', 'x.html')]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toContain('no-such-dir');
  });
});
