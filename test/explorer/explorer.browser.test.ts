import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, CDPSession, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExplorerData } from '../../src/explorer/data.js';
import { safeEvaluate } from '../../src/index.js';
import type { PolicyId } from '../../src/index.js';
import { ROOT } from '../helpers/case-files.js';
import { CHROMIUM, HAS_CHROMIUM, IN_CI, launchChromium } from '../helpers/browser.js';
import { rulesFixture, runCli } from '../helpers/cli.js';

// The explorer page, opened from a file in headless Chromium: facts typed into its forms must
// give the same decisions and issues as the library in Node, in both languages, with no console
// error, no browser-reported issue and no request beyond the file itself.

const AS_OF = '2026-01-01';
const ZONE = (process.env['TZ'] ?? 'local').replace(/[^A-Za-z0-9]+/g, '-');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'explorer', ZONE);

if (!HAS_CHROMIUM && !IN_CI) {
  console.warn(`Skipping the explorer's browser tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH). With CI=true they fail instead.`);
}

/** Writes the explorer page with the CLI and returns its file URL and embedded data. */
function writePage(args: readonly string[]): { url: string; data: ExplorerData } {
  const file = join(mkdtempSync(join(tmpdir(), 'sales-policies-explorer-')), 'explorer.html');
  const result = runCli(['docs', '--html', file, ...args]);
  if (result.code !== 0) throw new Error(`docs --html failed (${result.code}): ${result.stderr}`);
  const html = readFileSync(file, 'utf8');
  const json = /<script type="application\/json" id="explorer-data">([^<]*)<\/script>/.exec(html)![1]!;
  return { url: pathToFileURL(file).href, data: JSON.parse(json) as ExplorerData };
}

/** Everything a page reports that a test should fail on. */
interface Watch {
  readonly problems: string[];
  readonly requests: string[];
}

async function open(context: BrowserContext, url: string): Promise<{ page: Page; watch: Watch }> {
  const page = await context.newPage();
  const watch: Watch = { problems: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') watch.problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => watch.problems.push(`page error: ${error.message}`));
  page.on('request', (request) => watch.requests.push(request.url()));
  // The browser's own checks (form labels, ids, CSP, deprecations…) arrive as DevTools issues.
  const cdp: CDPSession = await context.newCDPSession(page);
  cdp.on('Audits.issueAdded', (event) => watch.problems.push(`browser issue: ${JSON.stringify(event.issue).slice(0, 400)}`));
  await cdp.send('Audits.enable');
  await page.goto(url);
  await page.locator('section.policy').first().waitFor();
  return { page, watch };
}

const section = (page: Page, policy: string) => page.locator(`section[data-policy="${policy}"]`);

async function decisionJson(scope: Locator): Promise<unknown> {
  return JSON.parse((await scope.getByTestId('decision').textContent()) ?? '');
}

/** Sets a three-state checkbox by clicking it round to the wanted state. */
async function setBoolean(scope: Locator, name: string, state: 'unset' | 'true' | 'false'): Promise<void> {
  const box = scope.locator(`input[name="${name}"]`);
  for (let i = 0; i < 3 && (await box.getAttribute('data-state')) !== state; i++) await box.click();
  expect(await box.getAttribute('data-state')).toBe(state);
}

/** The library's answer in Node, as the page shows it in `data-testid="decision"`. */
function expected(policy: string, facts: unknown, options: { asOf: string; rules?: unknown }): unknown {
  const result = safeEvaluate(policy as PolicyId, facts as never, options);
  return JSON.parse(JSON.stringify(result.success ? result.decision : { error: result.error.code, issues: result.issues }));
}

describe.skipIf(!HAS_CHROMIUM && !IN_CI)('the explorer page in headless Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let watch: Watch;
  let data: ExplorerData;

  beforeAll(async () => {
    if (!HAS_CHROMIUM) throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}: .ci/run installs it with "apt-get install -y chromium"`);
    mkdirSync(ARTIFACTS, { recursive: true });
    const written = writePage(['--as-of', AS_OF]);
    data = written.data;
    context = await launchChromium();
    ({ page, watch } = await open(context, written.url));
  });

  afterEach(() => {
    // Each test answers for what happened while it ran.
    expect(watch.problems.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await context?.close();
  });

  it('shows every policy with its decision table, parameters, source text and a form; screenshots each', async () => {
    await expect(page.locator('section.policy').evaluateAll((sections) => sections.map((s) => s.getAttribute('data-policy')))).resolves.toEqual(data.policies.map((p) => p.id));
    for (const policy of data.policies) {
      const scope = section(page, policy.id);
      const rules = (data.rules[policy.id] as { rules: { source?: { quote?: string } }[] }).rules;
      await expect(scope.locator('h2').textContent()).resolves.toContain(policy.id);
      expect(await scope.locator('table.decision-table tbody tr').count()).toBe(rules.length);
      const quote = rules.find((rule) => rule.source?.quote)?.source?.quote;
      if (quote) expect(await scope.locator('dl.quotes').textContent()).toContain(quote);
      expect(await scope.locator('.versions').textContent()).toContain('2017-04-26 (in force)');
      expect(await scope.locator('form [data-fact]').count()).toBeGreaterThan(0);
      await scope.screenshot({ path: join(ARTIFACTS, `${policy.id}.png`) });
    }
    await expect(section(page, 'review.approval').locator('table.parameters').textContent()).resolves.toMatch(/directorLimit500000.*2017-04-26/);
  });

  it('decides live with the library: approval of a direct 1,200,000 order is the Sales VP (REV-6.2)', async () => {
    const scope = section(page, 'review.approval');
    await scope.locator('input[name="amount"]').fill('1200000');
    await scope.locator('select[name="channel"]').selectOption('direct');
    for (const name of ['disputed', 'repeatBatch', 'technicalTermsChanged', 'priceChanged']) await setBoolean(scope, name, 'unset');
    await expect(scope.getByTestId('outcome').textContent()).resolves.toContain('sales_vp (Sales Vice President)');
    await expect(scope.getByRole('status').textContent()).resolves.toMatch(/^Decision: authority = sales_vp \(Sales Vice President\); route = technical .*\. Decided by REV-6\.2$/);
    const decision = await decisionJson(scope);
    expect(decision).toMatchObject({ policy: 'review.approval', asOf: AS_OF, outcome: { authority: 'sales_vp' }, basis: ['REV-6.2'] });
    expect(decision).toEqual(expected('review.approval', { amount: '1200000', channel: 'direct' }, { asOf: AS_OF }));
    // The trace marks each condition; the rule that fired is the highlighted row of the table.
    const fired = scope.locator('li.rule.fired');
    expect(await fired.count()).toBe(1);
    await expect(fired.locator('li.condition[data-result="true"]').count()).resolves.toBe(4);
    await expect(scope.locator('li.rule[data-result="false"] li.condition[data-result="false"]').first().textContent()).resolves.toContain('✗ false');
    await expect(scope.locator('table.decision-table tr.fired th').allTextContents()).resolves.toEqual(['REV-6.2']);

    await setBoolean(scope, 'disputed', 'true');
    expect(await decisionJson(scope)).toEqual(expected('review.approval', { amount: '1200000', channel: 'direct', disputed: true }, { asOf: AS_OF }));
    await expect(scope.getByTestId('outcome').textContent()).resolves.toContain('general_manager');
  });

  it('gives the library’s decision for every example of every policy', async () => {
    for (const policy of data.policies) {
      const scope = section(page, policy.id);
      const select = scope.locator('.examples select');
      for (const [index, example] of policy.examples.entries()) {
        await select.selectOption(String(index));
        expect({ example: example.name, decision: await decisionJson(scope) }).toEqual({ example: example.name, decision: expected(policy.id, example.facts, { asOf: AS_OF }) });
      }
    }
  });

  it('shows the library’s issues, each at its field, for facts it refuses', async () => {
    const approval = section(page, 'review.approval');
    await approval.locator('input[name="amount"]').fill('lots');
    const refused = expected('review.approval', { amount: 'lots', channel: 'direct', disputed: true }, { asOf: AS_OF }) as { issues: { path: string; message: string }[] };
    expect(await decisionJson(approval)).toEqual(refused);
    await expect(approval.getByTestId('issues').locator('li').allTextContents()).resolves.toEqual([`amount: ${refused.issues[0]!.message} (received "lots")`]);
    await expect(approval.locator('input[name="amount"]').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(approval.getByRole('status').textContent()).resolves.toBe(`The facts have problems: amount: ${refused.issues[0]!.message}`);
    await expect(approval.locator('.field-error:not([hidden])').allTextContents()).resolves.toEqual([`amount: ${refused.issues[0]!.message}`]);
    await approval.locator('input[name="amount"]').fill('1200000');
    await expect(approval.locator('input[name="amount"]').getAttribute('aria-invalid')).resolves.toBeNull();

    // A fact that does not apply is refused even when false: the form can leave it out.
    const escalation = section(page, 'followUp.escalation');
    await escalation.locator('select[name="event"]').selectOption('order_change');
    for (const name of ['complaintSeverity', 'anomaly', 'service']) await escalation.locator(`select[name="${name}"]`).selectOption('');
    await setBoolean(escalation, 'resolvedByDepartments', 'unset');
    await setBoolean(escalation, 'compensationRequested', 'false');
    const notApplying = expected('followUp.escalation', { event: 'order_change', compensationRequested: false }, { asOf: AS_OF }) as { issues: { message: string }[] };
    expect(await decisionJson(escalation)).toEqual(notApplying);
    await expect(escalation.getByTestId('issues').textContent()).resolves.toContain(`compensationRequested: ${notApplying.issues[0]!.message}`);
    await setBoolean(escalation, 'compensationRequested', 'unset');
    expect(await decisionJson(escalation)).toEqual(expected('followUp.escalation', { event: 'order_change' }, { asOf: AS_OF }));

    // Nested paths inside a JSON field, and text that is not JSON at all.
    const readiness = section(page, 'review.readiness');
    await readiness.locator('.examples select').selectOption('0');
    await readiness.locator('textarea[name="signoffs"]').fill('[{ "step": "technical" }]');
    await expect(readiness.getByTestId('issues').textContent()).resolves.toContain('signoffs[0].decision: ');
    await expect(readiness.locator('textarea[name="signoffs"]').getAttribute('aria-invalid')).resolves.toBe('true');
    await readiness.locator('textarea[name="terms"]').fill('["technical",');
    await expect(readiness.getByTestId('issues').textContent()).resolves.toMatch(/^terms: not JSON: /);
  });

  it('switches between English and Chinese labels, keeping the facts', async () => {
    const approval = section(page, 'review.approval');
    await approval.locator('input[name="amount"]').fill('800000');
    await approval.locator('select[name="channel"]').selectOption('direct');
    await setBoolean(approval, 'disputed', 'unset');
    await page.getByLabel('中文').check();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh');
    await expect(page.locator('h1').textContent()).resolves.toBe('銷售政策瀏覽器');
    await expect(approval.locator('h2').textContent()).resolves.toContain('合同評審審批權限與評審路線');
    await expect(approval.locator('input[name="amount"]').inputValue()).resolves.toBe('800000');
    await expect(approval.getByTestId('outcome').textContent()).resolves.toContain('sales_vp (銷售副總)');
    await expect(approval.locator('table.decision-table thead').textContent()).resolves.toContain('條件');
    await expect(approval.locator('figure svg text').allTextContents()).resolves.toContain('銷售副總');
    await approval.screenshot({ path: join(ARTIFACTS, 'review.approval.zh.png') });
    await page.getByLabel('English').check();
    await expect(approval.getByTestId('outcome').textContent()).resolves.toContain('sales_vp (Sales Vice President)');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
  });

  it('draws authority against amount as a step chart, one line per channel × disputed, with the facts marked', async () => {
    const approval = section(page, 'review.approval');
    await approval.locator('.examples select').selectOption({ index: 0 });
    await approval.locator('input[name="amount"]').fill('1200000');
    for (const name of ['disputed', 'repeatBatch', 'technicalTermsChanged', 'priceChanged']) await setBoolean(approval, name, 'unset');
    const chart = approval.locator('figure.chart-figure');
    await expect(chart.locator('svg[role="img"] title').textContent()).resolves.toBe('authority against amount');
    await expect(chart.locator('svg.chart g[data-series]').evaluateAll((lines) => lines.map((l) => l.getAttribute('data-series')))).resolves.toEqual([
      'channel=direct, disputed=false',
      'channel=direct, disputed=true',
      'channel=distributor, disputed=false',
      'channel=distributor, disputed=true',
    ]);
    const ticks = await chart.locator('svg.chart text.tick').allTextContents();
    expect(ticks).toEqual(expect.arrayContaining(['0', '500,000', '3,000,000', 'Sales Vice President', 'Marketing Center Director']));
    await expect(chart.locator('.marker-text').textContent()).resolves.toBe('your facts: 1,200,000');
    await expect(chart.locator('table tbody tr').first().textContent()).resolves.toContain('amount in [0, 500000)');
    await chart.screenshot({ path: join(ARTIFACTS, 'review.approval.chart.png') });
    if (ZONE === 'UTC') {
      // The README's picture: the form, the decision and the chart of one policy, trace folded.
      await page.setViewportSize({ width: 940, height: 900 });
      await approval.locator('details.trace > summary').click();
      await approval.locator('input[name="amount"]').blur();
      const clip = await approval.evaluate((element) => {
        const top = element.querySelector('.try')!.getBoundingClientRect();
        const bottom = element.querySelector('figure.chart-figure')!.getBoundingClientRect();
        return { x: top.left - 8, y: top.top + window.scrollY - 8, width: top.width + 16, height: bottom.bottom - top.top + 16 };
      });
      await page.screenshot({ path: join(ROOT, 'test-artifacts', 'explorer', 'readme.png'), fullPage: true, clip });
      await approval.locator('details.trace > summary').click();
      await page.setViewportSize({ width: 1200, height: 900 });
    }
  });

  it('labels every form control, keeps ids unique and points every aria reference at an element', async () => {
    const report = await page.evaluate(() => {
      const controls = [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')];
      const unlabelled = controls.filter((c) => c.labels === null || c.labels.length === 0 || [...c.labels].every((l) => (l.textContent ?? '').trim() === '')).map((c) => c.id || c.name);
      const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
      const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
      const dangling = [...document.querySelectorAll('[aria-describedby], [aria-labelledby]')].flatMap((e) =>
        `${e.getAttribute('aria-describedby') ?? ''} ${e.getAttribute('aria-labelledby') ?? ''}`
          .split(/\s+/)
          .filter((ref) => ref !== '' && document.getElementById(ref) === null),
      );
      const misnamed = [...document.querySelectorAll<HTMLElement>('[data-fact]')].filter((e) => e.getAttribute('name') !== e.dataset['fact']).map((e) => e.id);
      return { controls: controls.length, unlabelled, duplicates, dangling, misnamed };
    });
    expect(report.controls).toBeGreaterThan(20);
    expect(report).toMatchObject({ unlabelled: [], duplicates: [], dangling: [], misnamed: [] });
  });

  it('sends no request beyond the file itself, and the browser reports no issue', async () => {
    // Chromium checks forms a moment after the page changes; give its report time to arrive.
    await page.waitForTimeout(2500);
    await expect(page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).resolves.toMatch(/^default-src 'none';/);
    expect(new Set(watch.requests)).toEqual(new Set([page.url()]));
  });
});

describe.skipIf(!HAS_CHROMIUM && !IN_CI)('the explorer page of an edited rule set (--rules, --as-of, --lang)', () => {
  let context: BrowserContext | undefined;

  afterAll(async () => {
    await context?.close();
  });

  it('evaluates the folder’s rules with the version in force, and moves with the date', async () => {
    if (!HAS_CHROMIUM) throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}`);
    const rules = rulesFixture('review/approval.rules.json', (json) => json.parameters.push({ from: '2027-01-01', values: { ...json.parameters[0].values, directorLimit: 1_000_000 } }));
    const custom = JSON.parse(readFileSync(join(rules, 'review', 'approval.rules.json'), 'utf8')) as unknown;
    const { url } = writePage(['--rules', rules, '--as-of', '2027-03-01', '--lang', 'zh']);
    context = await launchChromium();
    const { page, watch } = await open(context, url);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh');
    const approval = section(page, 'review.approval');
    await approval.locator('input[name="amount"]').fill('800000');
    await approval.locator('select[name="channel"]').selectOption('direct');
    for (const name of ['disputed', 'repeatBatch', 'technicalTermsChanged', 'priceChanged']) await setBoolean(approval, name, 'unset');
    const facts = { amount: '800000', channel: 'direct' };
    const options = { asOf: '2027-03-01', rules: { 'review.approval': custom } };
    expect(await decisionJson(approval)).toEqual(expected('review.approval', facts, options));
    expect(await decisionJson(approval)).toMatchObject({ outcome: { authority: 'marketing_director' }, basis: ['REV-6.1'] });
    expect(await approval.locator('figure svg text.tick').allTextContents()).toContain('1,000,000');

    await page.locator('#as-of').fill('2026-12-31');
    await expect(approval.locator('h3').nth(1).textContent()).resolves.toContain('2026-12-31');
    expect(await decisionJson(approval)).toEqual(expected('review.approval', facts, { ...options, asOf: '2026-12-31' }));
    expect(await decisionJson(approval)).toMatchObject({ outcome: { authority: 'sales_vp' } });

    await page.locator('#as-of').fill('2010-01-01');
    const early = expected('review.approval', facts, { ...options, asOf: '2010-01-01' }) as { error: string; issues: { message: string }[] };
    expect(early.error).toBe('INVALID_OPTIONS');
    expect(await decisionJson(approval)).toEqual(early);
    await expect(approval.getByTestId('issues').textContent()).resolves.toContain(`options.asOf: ${early.issues[0]!.message}`);
    expect(watch.problems).toEqual([]);
    expect(new Set(watch.requests)).toEqual(new Set([url]));
  });

  it('shows the table and chart of a policy the library cannot evaluate, without a form', async () => {
    if (!HAS_CHROMIUM) throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}`);
    const rules = rulesFixture('review/approval.rules.json', (json) => (json.policy = 'custom.approval'));
    const { url, data } = writePage(['--rules', rules, '--as-of', AS_OF]);
    expect(data.rules['review.approval']).toBeDefined();
    context ??= await launchChromium();
    const { page, watch } = await open(context, url);
    const custom = section(page, 'custom.approval');
    await expect(custom.textContent()).resolves.toContain('This version of the library has no evaluator for custom.approval');
    expect(await custom.locator('form').count()).toBe(0);
    expect(await custom.locator('table.decision-table tbody tr').count()).toBe(8);
    expect(await custom.locator('svg.chart g[data-series]').count()).toBe(4);
    await page.waitForTimeout(1500);
    expect(watch.problems).toEqual([]);
  });
});
