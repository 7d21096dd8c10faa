import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, HAS_CHROMIUM, IN_CI, launchChromium } from '../helpers/browser.js';
import { rulesFixture, runCli } from '../helpers/cli.js';
import { HOSTILE_STRINGS, RULE_FILES, withTextEverywhere, withTextsInValues } from '../helpers/hostile.js';

// `docs --html` of a rule set whose every text slot and string parameter holds hostile strings
// (markup, script, comment openers, quotes, line breaks, controls), opened in headless Chromium:
// no script of theirs runs, no element of theirs appears, and each string shows as text.

// Like the explorer's other browser tests, it checks no date arithmetic: the UTC project runs it, once.
const RUN_ZONE = process.env['TZ'] === 'UTC';

if (RUN_ZONE && !HAS_CHROMIUM && !IN_CI) {
  console.warn(`Skipping the explorer's hostile-strings browser test: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH). With CI=true it fails instead.`);
}

/** A copy of the bundled rules with the hostile strings in every text slot, as string parameters and as case names. */
function hostileRules(): string {
  const dir = rulesFixture(RULE_FILES[0]!.replace(/^rules\//, ''), () => undefined);
  RULE_FILES.forEach((file, index) => {
    const path = join(dir, file.replace(/^rules\//, ''));
    const json = JSON.parse(readFileSync(path, 'utf8'));
    withTextEverywhere(json, (slot) => HOSTILE_STRINGS[(slot + index) % HOSTILE_STRINGS.length]!);
    withTextsInValues(json, HOSTILE_STRINGS);
    writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
    // The examples' names too (the page lists them): case names, as docs reads them unchecked.
    const casesPath = path.replace(/\.rules\.json$/, '.cases.json');
    const cases = JSON.parse(readFileSync(casesPath, 'utf8'));
    // The page shows a policy's first cases with an expected outcome: those take the strings in turn, 3 per file.
    let shown = 0;
    cases.cases.forEach((c: { name: string; expected: { outcome?: unknown } }, i: number) => {
      const at = c.expected.outcome === undefined ? i : index * 3 + shown++;
      c.name = `${HOSTILE_STRINGS[at % HOSTILE_STRINGS.length]} ${i}`;
    });
    writeFileSync(casesPath, `${JSON.stringify(cases, null, 2)}\n`);
  });
  return dir;
}

describe.runIf(RUN_ZONE && (HAS_CHROMIUM || IN_CI))('docs --html of hostile rules files, in headless Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let html: string;
  const problems: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    if (!HAS_CHROMIUM) throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}: .ci/run installs it with "apt-get install -y chromium"`);
    const file = join(mkdtempSync(join(tmpdir(), 'sales-policies-hostile-html-')), 'explorer.html');
    const result = runCli(['docs', '--html', file, '--rules', hostileRules(), '--as-of', '2026-01-01']);
    if (result.code !== 0) throw new Error(`docs --html failed (${result.code}): ${result.stderr}`);
    html = readFileSync(file, 'utf8');
    context = await launchChromium();
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(pathToFileURL(file).href);
    await page.locator('section.policy').first().waitFor();
  }, 60_000);

  afterAll(async () => {
    await context?.close();
  });

  it('runs no script of the rules and adds no element of theirs, before and after deciding examples', async () => {
    // Deciding an example renders the trace, with the hostile parameter values in it.
    const sections = page.locator('section.policy');
    for (let i = 0; i < (await sections.count()); i++) {
      const select = sections.nth(i).locator('.examples select');
      if ((await select.count()) > 0) await select.selectOption('0');
    }
    const found = await page.evaluate(() => ({
      pwned: (globalThis as { pwned?: unknown }).pwned,
      scripts: document.querySelectorAll('script').length,
      embedded: document.querySelectorAll('img, iframe, object, embed, link, meta[http-equiv="refresh"], base').length,
      handlers: [...document.querySelectorAll('*')].flatMap((element) => [...element.attributes].filter((attribute) => /^on/i.test(attribute.name)).map((attribute) => `${element.tagName} ${attribute.name}`)),
      // The page links only to its own sections.
      links: [...document.querySelectorAll('[href], [src], [action], [formaction]')].filter((element) => !/^#policy--[A-Za-z-]+$/.test(element.getAttribute('href') ?? '')).map((element) => element.outerHTML.slice(0, 80)),
    }));
    expect(found).toEqual({ pwned: undefined, scripts: 2, embedded: 0, handlers: [], links: [] });
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('shows every hostile string as text', async () => {
    const text = await page.evaluate(() => document.body.textContent ?? '');
    const missing = HOSTILE_STRINGS.filter((hostile) => !text.includes(hostile));
    expect(missing).toEqual([]);
    const examples = await page.locator('.examples select option').allTextContents();
    expect(HOSTILE_STRINGS.filter((hostile) => !examples.some((name) => name.includes(hostile))), 'example names').toEqual([]);
    console.info(`hostile HTML: ${HOSTILE_STRINGS.length} strings in ${RULE_FILES.length} rules files, every one shown as text; page ${html.length} bytes`);
  });

  it('keeps them out of the markup: the page source holds no tag of theirs', () => {
    for (const hostile of ['</script><script>globalThis.pwned = 1</script>', '<img src=x onerror="globalThis.pwned = 1">', '<!--']) expect(html).not.toContain(hostile);
  });
});
