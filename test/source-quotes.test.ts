import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, ruleFilesEndingIn } from './helpers/case-files.js';

// Every rule quotes the company's source documents (sources/, copied from the seeds the spec was
// written from), and a quote must be the source's own words: a paraphrase passed off as a quote
// would mislead whoever reads an explanation. Quotes of a flowchart join its boxes with " → "
// (or " / ", "……" for a gap), and may name a step's owner as "(流程负責人:…)": each box, and
// each owner, must be in the source.

const SOURCES = readdirSync(join(ROOT, 'sources'))
  .filter((name) => name.endsWith('.txt'))
  .map((name) => readFileSync(join(ROOT, 'sources', name), 'utf8'))
  .join('\n');

interface RulesFile {
  readonly rules: readonly { readonly name: string; readonly source: { readonly quote?: string } }[];
  readonly parameterInfo?: Readonly<Record<string, { readonly source?: string }>>;
}

/** The parts of a quote that must each be verbatim in the sources. */
function quotedParts(quote: string): string[] {
  if (SOURCES.includes(quote)) return [quote];
  return quote
    .split(/ → | \/ |……/)
    .flatMap((box) => {
      const owner = /^(.*)\((?:流程负责人|流程負責人):([^)]+)\)$/.exec(box.trim());
      return owner ? [owner[1]!, owner[2]!] : [box.trim()];
    })
    // A flowchart box of two lines reads as one phrase joined by ",".
    .flatMap((part) => (SOURCES.includes(part) ? [part] : part.split(',')))
    .filter((part) => part.length > 0);
}

const files = ruleFilesEndingIn('.rules.json').map((file) => [file, JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as RulesFile] as const);

describe.each(files)('%s quotes its source exactly', (_file, json) => {
  it.each(json.rules.map((rule) => [rule.name, rule.source.quote ?? ''] as const))('%s', (_name, quote) => {
    expect(quote.length).toBeGreaterThan(0);
    for (const part of quotedParts(quote)) expect(SOURCES, `「${part}」`).toContain(part);
  });

  const parameterQuotes = Object.entries(json.parameterInfo ?? {}).flatMap(([name, info]) => [...(info.source ?? '').matchAll(/「([^」]+)」/g)].map((match) => [name, match[1]!] as const));
  it.runIf(parameterQuotes.length > 0)('and so do its parameters', () => {
    for (const [name, quote] of parameterQuotes) for (const part of quotedParts(quote)) expect(SOURCES, `${name}: 「${part}」`).toContain(part);
  });
});

describe('the quote check', () => {
  it('finds a quote that is not in the sources, and a box of a flowchart that is not', () => {
    expect(quotedParts('單項合同金額在50萬元以上').some((part) => !SOURCES.includes(part))).toBe(true);
    expect(quotedParts('查看订单 → 与客人喝茶').some((part) => !SOURCES.includes(part))).toBe(true);
    expect(quotedParts('查看订单 → 与接待部门协商、确认').every((part) => SOURCES.includes(part))).toBe(true);
  });
});
