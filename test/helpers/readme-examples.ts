// Reads the README's fenced examples so test/readme-examples.test.ts can run them. The
// convention the README follows is written out at the top of that test.

/** A fenced block of the README: its info string, its lines, where it starts and the prose before it. */
export interface Block {
  readonly lang: string;
  readonly lines: readonly string[];
  readonly line: number;
  readonly leadIn: string;
  readonly heading: string;
  /** The HTML comment right before the block, `<!-- readme-example: … -->`, if any. */
  readonly marker: string | undefined;
}

/**
 * The fenced blocks of a Markdown text (also indented ones, inside a list item), in order.
 *
 * @example
 * fencedBlocks('Run:\n\n```sh\nls\n```\n')[0].lines; //=> ['ls']
 */
export function fencedBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let heading = '';
  let prose: string[] = [];
  let blank = false;
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]!);
    if (!open) {
      if (lines[i]!.startsWith('#')) heading = lines[i]!.replace(/^#+\s*/, '');
      // The lead-in is the last paragraph before the block (an HTML comment marker included).
      if (lines[i]!.trim() === '') blank = true;
      else {
        if (blank && !lines[i]!.trim().startsWith('<!--')) prose = [];
        blank = false;
        prose.push(lines[i]!);
      }
      continue;
    }
    const indent = open[1]!.length;
    const body: string[] = [];
    let j;
    for (j = i + 1; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(Math.min(indent, lines[j]!.length - lines[j]!.trimStart().length)));
    const markerLine = prose.at(-1)?.trim();
    const marker = markerLine?.startsWith('<!-- readme-example') ? markerLine.replace(/^<!--\s*readme-example:?\s*/, '').replace(/\s*-->$/, '') : undefined;
    blocks.push({ lang: open[2]!, lines: body, line: i + 1, leadIn: prose.filter((l) => !l.trim().startsWith('<!--')).join(' '), heading, marker });
    prose = [];
    blank = false;
    i = j;
  }
  return blocks;
}

/** Stands for the elided part of an expected value (`…` in the README). */
export const ELIDED: unique symbol = Symbol('…');

/**
 * Whether `actual` (a JSON value) matches `expected`, where `ELIDED` in a list stands for any run
 * of items and a string ending in `…` for any string with that beginning.
 *
 * @example
 * matches([1, 2, 3], [1, ELIDED]); //=> true
 */
export function matches(actual: unknown, expected: unknown): boolean {
  if (expected === ELIDED) return true;
  if (typeof expected === 'string' && expected.endsWith('…') && typeof actual === 'string') return actual.startsWith(expected.slice(0, -1));
  if (Array.isArray(expected)) return Array.isArray(actual) && listMatches(actual, 0, expected, 0);
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const keys = Object.keys(expected);
    const open = keys.includes('…');
    const wanted = keys.filter((key) => key !== '…');
    if (!open && Object.keys(actual).length !== wanted.length) return false;
    return wanted.every((key) => key in actual && matches((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key]));
  }
  return Object.is(actual, expected);
}

function listMatches(actual: readonly unknown[], i: number, expected: readonly unknown[], j: number): boolean {
  if (j === expected.length) return i === actual.length;
  if (expected[j] === ELIDED) {
    for (let k = i; k <= actual.length; k++) if (listMatches(actual, k, expected, j + 1)) return true;
    return false;
  }
  return i < actual.length && matches(actual[i], expected[j]) && listMatches(actual, i + 1, expected, j + 1);
}

/**
 * Whether printed text matches the shown text, line by line: a shown line `…` stands for any
 * number of lines, a `…` inside a line for any text on that line.
 *
 * @example
 * textMatches('a\nb\nc', 'a\n…\nc'); //=> true
 */
export function textMatches(actual: string, shown: string): boolean {
  const got = actual.replace(/\s+$/, '').split('\n').map((l) => l.replace(/\s+$/, ''));
  const want = shown.replace(/\s+$/, '').split('\n').map((l) => l.replace(/\s+$/, ''));
  const line = (a: string, w: string): boolean => {
    if (!w.includes('…')) return a === w;
    const parts = w.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return new RegExp(`^${parts.join('.*')}$`).test(a);
  };
  const walk = (i: number, j: number): boolean => {
    if (j === want.length) return i === got.length;
    if (want[j]!.trim() === '…') {
      for (let k = i; k <= got.length; k++) if (walk(k, j + 1)) return true;
      return false;
    }
    return i < got.length && line(got[i]!, want[j]!) && walk(i + 1, j + 1);
  };
  return walk(0, 0);
}

/** One statement of a code example and the comments that state its result. */
export interface Statement {
  readonly code: string;
  readonly comment: string;
}

/**
 * Splits example code into top-level statements (at `;` outside brackets and strings), each with
 * the comment text (`// …`) written after it, up to the next statement.
 *
 * @example
 * statements("f(1); // 2\ng();")[0]; //=> { code: 'f(1);', comment: '2' }
 */
export function statements(lines: readonly string[]): Statement[] {
  const out: { code: string; comment: string[] }[] = [];
  let code = '';
  let depth = 0;
  let quote: string | undefined;
  for (const raw of lines) {
    let i = 0;
    let comment: string | undefined;
    for (; i < raw.length; i++) {
      const c = raw[i]!;
      if (quote) {
        code += c;
        if (c === '\\') code += raw[++i] ?? '';
        else if (c === quote) quote = undefined;
        continue;
      }
      if (c === '/' && raw[i + 1] === '/') {
        comment = raw.slice(i + 2);
        break;
      }
      code += c;
      if (c === "'" || c === '"' || c === '`') quote = c;
      else if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) depth--;
      else if (c === ';' && depth === 0) {
        out.push({ code: code.trim(), comment: [] });
        code = '';
      }
    }
    code += '\n';
    if (comment !== undefined) {
      if (code.trim() !== '' && out.length === 0) out.push({ code: '', comment: [] });
      out.at(-1)?.comment.push(comment.replace(/^=>/, '').trim());
    }
  }
  if (code.trim() !== '') out.push({ code: code.trim(), comment: [] });
  return out.map((s) => ({ code: s.code, comment: s.comment.join(' ').trim() }));
}

const LABELS = ['outcome', 'basis', 'warnings'] as const;
type Label = (typeof LABELS)[number];

/**
 * The expected values a comment states: `outcome: X`, `basis: Y`, `warnings: Z` or a bare value
 * (`value`), each read as a JavaScript expression with `…` for `ELIDED`; text after a value in
 * parentheses, and a comment that starts with `(`, is a remark.
 *
 * @example
 * expectations("outcome: { a: 1 }, basis: ['X']   (why)"); //=> { outcome: { a: 1 }, basis: ['X'] }
 */
export function expectations(comment: string): Partial<Record<Label | 'value', unknown>> {
  const result: Partial<Record<Label | 'value', unknown>> = {};
  // A remark, or prose: neither a label nor the start of a value.
  if (!/^(outcome|basis|warnings)\b|^[[{'"\d-]|^(true|false|null)\b/.test(comment)) return result;
  // Split at labels standing at depth 0.
  const cuts: { label: Label | 'value'; start: number; end: number }[] = [];
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < comment.length; i++) {
    const c = comment[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && (i === 0 || /[\s,;]/.test(comment[i - 1]!))) {
      const label = LABELS.find((l) => comment.startsWith(`${l}:`, i) || comment.startsWith(`${l} `, i) && /^\s*[[{'"]/.test(comment.slice(i + l.length)));
      if (label) {
        cuts.push({ label, start: i, end: i + label.length + (comment[i + label.length] === ':' ? 1 : 0) });
        i += label.length;
      }
    }
  }
  if (cuts.length === 0 || cuts[0]!.start > 0) cuts.unshift({ label: 'value', start: 0, end: 0 });
  for (const [n, cut] of cuts.entries()) {
    const text = comment.slice(cut.end, cuts[n + 1]?.start ?? comment.length);
    result[cut.label] = readValue(text);
  }
  return result;
}

function readValue(text: string): unknown {
  let candidate = text.trim().replace(/[,;]$/, '').trim();
  for (;;) {
    try {
      return new Function('ELIDED', `return (${candidate.replaceAll('…', 'ELIDED')});`)(ELIDED);
    } catch {
      const remark = candidate.lastIndexOf(' (');
      if (remark < 0) throw new Error(`cannot read the expected value ${JSON.stringify(text)}`);
      candidate = candidate.slice(0, remark).trim().replace(/[,;]$/, '').trim();
    }
  }
}
