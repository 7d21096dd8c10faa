import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, HAS_CHROMIUM, IN_CI, launchChromium } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { closerTakesAllRules, lowerVpRules } from '../helpers/impact-rules.js';
import { HOSTILE_STRINGS } from '../helpers/hostile.js';

// `docs --html --data FILE`, opened in headless Chromium: the impact tables show the counts the
// CLI computed, and the data file's ids and agent names (hostile strings) show as text, never
// as markup or script.

// It checks no date arithmetic: the UTC project runs it, once.
const RUN_ZONE = process.env['TZ'] === 'UTC';

if (RUN_ZONE && !HAS_CHROMIUM && !IN_CI) {
  console.warn(`Skipping the explorer's impact browser test: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH). With CI=true it fails instead.`);
}

const LOWER_VP = lowerVpRules();
const CLOSER_TAKES_ALL = closerTakesAllRules();
const dir = mkdtempSync(join(tmpdir(), 'sales-policies-impact-page-'));
const ndjson = (name: string, rows: readonly unknown[]) => {
  const path = join(dir, name);
  writeFileSync(path, rows.map((row) => JSON.stringify(row)).join('\n'));
  return path;
};
const [SCRIPT, IMAGE] = ['</script><script>globalThis.pwned = 1</script>', '<img src=x onerror="globalThis.pwned = 1">'];
// Approval: two hostile ids first among the rows that change (so they are examples), one row unchanged, one refused.
const HISTORY = ndjson('history.ndjson', [
  { id: SCRIPT, amount: '2500000', channel: 'direct' },
  { id: 'C-1', amount: '100000', channel: 'direct' },
  { id: IMAGE, amount: '2000000', channel: 'direct' },
  { id: 'C-3', amount: '2999999.99', channel: 'direct' },
  { id: 'C-4', amount: '2100000', channel: 'direct' },
  { id: 'C-5', amount: 'lots', channel: 'direct' },
]);
// Commission: every hostile string an agent who shares a lease with wang 50/50 before, and nothing after.
const POOL = (i: number) => 1000 * (i + 1) + 0.02 * i;
const DEALS = ndjson(
  'deals.ndjson',
  HOSTILE_STRINGS.map((agent, i) => ({ id: `D-${i}`, pool: POOL(i).toFixed(2), kind: 'lease', depositPaidInFull: true, contractSigned: true, handlers: [agent, 'wang'], closer: 'wang', receivingAgents: [agent, 'wang'], protectedBy: null })),
);
const fen = (yuan: number) => Math.round(yuan * 100);
const yuan = (cents: number) => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;

function writePage(args: readonly string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sales-policies-impact-html-')), 'explorer.html');
  const result = runCli(['docs', '--html', file, '--as-of', '2026-01-01', ...args]);
  if (result.code !== 0) throw new Error(`docs --html --data failed (${result.code}): ${result.stderr}`);
  return file;
}

describe.runIf(RUN_ZONE && (HAS_CHROMIUM || IN_CI))('the explorer page with an impact table (docs --html --data), in headless Chromium', () => {
  let context: BrowserContext;
  const problems: string[] = [];
  const pages: Record<'approval' | 'commission', { page: Page; html: string }> = {} as never;

  beforeAll(async () => {
    if (!HAS_CHROMIUM) throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}: .ci/run installs it with "apt-get install -y chromium"`);
    context = await launchChromium();
    const files = {
      approval: writePage(['review.approval', '--rules', LOWER_VP, '--data', HISTORY, '--policy', 'review.approval']),
      commission: writePage(['commission.allocation', '--rules', CLOSER_TAKES_ALL, '--data', DEALS, '--policy', 'commission.allocation']),
    };
    for (const [name, file] of Object.entries(files) as [keyof typeof files, string][]) {
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${name}: console ${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`${name}: page error: ${error.message}`));
      page.on('dialog', (dialog) => {
        problems.push(`${name}: dialog ${dialog.message()}`);
        void dialog.dismiss();
      });
      // The browser's own checks (labels, ids, CSP…) arrive as DevTools issues.
      const cdp = await context.newCDPSession(page);
      cdp.on('Audits.issueAdded', (event) => problems.push(`${name}: browser issue: ${JSON.stringify(event.issue).slice(0, 400)}`));
      await cdp.send('Audits.enable');
      await page.goto(pathToFileURL(file).href);
      await page.locator('.impact').waitFor();
      pages[name] = { page, html: readFileSync(file, 'utf8') };
    }
  }, 60_000);

  afterAll(async () => {
    await context?.close();
  });

  const cells = (page: Page, table: string) => page.evaluate((selector) => [...document.querySelectorAll(`${selector} tbody tr`)].map((row) => [...row.children].map((cell) => cell.textContent ?? '')), table);

  it('shows the approval transitions with their counts, basis on each side and example ids', async () => {
    const { page } = pages.approval;
    const impact = page.locator('section[data-policy="review.approval"] .impact');
    expect(await impact.locator('.impact-summary').textContent()).toBe('6 rows: 5 decided by both, 4 change outcome (80.00%), 0 change basis only, 0 refused by one side, 1 by both.');
    expect(await cells(page, '.impact-transitions')).toEqual([
      [
        '4',
        'authority=sales_vp route=[technical, materials, manufacturing, quality, finance, legal, marketing_director, sales_vp]',
        'REV-6.2',
        'authority=general_manager route=[technical, materials, manufacturing, quality, finance, legal, marketing_director, sales_vp, general_manager]',
        'REV-6.3',
        `${SCRIPT}, ${IMAGE}, C-3, …`,
      ],
    ]);
    expect(await impact.locator('.refused-by-both').textContent()).toBe('Refused by both: INVALID_FACTS 1');
    expect(await impact.locator('.meta').textContent()).toContain(`Every row of ${HISTORY} decided under the bundled rules (before) and ${LOWER_VP} (after), as of 2026-01-01`);
  });

  it('shows the money per agent, exact, every hostile agent name as text, the total unchanged', async () => {
    const { page } = pages.commission;
    const rows = await cells(page, '.impact-money');
    const expected = HOSTILE_STRINGS.map((agent, i) => {
      const half = Math.floor(fen(POOL(i)) / 2);
      return [agent, yuan(half), '0.00', yuan(-half)];
    });
    const all = HOSTILE_STRINGS.reduce((sum, _, i) => sum + fen(POOL(i)), 0);
    const toWang = all - expected.reduce((sum, [, before]) => sum + fen(Number(before)), 0);
    // Largest movement first: wang, then the agents by their pools, largest first.
    expect(rows).toEqual([['wang', yuan(toWang), yuan(all), yuan(all - toWang)], ...expected.reverse(), ['(unallocated)', '0.00', '0.00', '0.00'], ['total', yuan(all), yuan(all), '0.00']]);
    expect(await page.locator('.impact-summary').textContent()).toContain(`${HOSTILE_STRINGS.length} rows: ${HOSTILE_STRINGS.length} decided by both, ${HOSTILE_STRINGS.length} change outcome`);
    // One transition a (distinct) agent: the first 12 listed, the rest counted.
    expect(await page.locator('.impact-transitions tbody tr').count()).toBe(13);
    expect((await cells(page, '.impact-transitions')).at(-1)!.join(' ')).toBe(`${HOSTILE_STRINGS.length - 12} ${HOSTILE_STRINGS.length - 12} rows in ${HOSTILE_STRINGS.length - 12} more transitions`);
  });

  it('runs no script of the data and adds no element of its, in either language', async () => {
    for (const { page, html } of Object.values(pages)) {
      await page.locator('#lang-zh').check();
      await page.locator('.impact h3', { hasText: '對歷史事實的影響' }).waitFor();
      const found = await page.evaluate(() => ({
        pwned: (globalThis as { pwned?: unknown }).pwned,
        scripts: document.querySelectorAll('script').length,
        embedded: document.querySelectorAll('img, iframe, object, embed, link, base').length,
        handlers: [...document.querySelectorAll('*')].flatMap((element) => [...element.attributes].filter((attribute) => /^on/i.test(attribute.name)).map((attribute) => `${element.tagName} ${attribute.name}`)),
      }));
      expect(found).toEqual({ pwned: undefined, scripts: 2, embedded: 0, handlers: [] });
      for (const hostile of [SCRIPT, IMAGE, '<!--']) expect(html).not.toContain(hostile);
    }
    expect(problems).toEqual([]);
  });
});
