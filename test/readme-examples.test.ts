import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/case-files.js';
import { CLI } from './helpers/cli.js';
import type { Block } from './helpers/readme-examples.js';
import { ELIDED, expectations, fencedBlocks, matches, statements, textMatches } from './helpers/readme-examples.js';

// The README's examples run here, so that what they show cannot drift from what the package does.
// The convention the README follows:
//
// - A ```ts or ```js block runs against the built package (`import … from 'sales-policies'` and
//   its subpaths resolve to dist/, as a user's import would). A comment after a statement states
//   its result: `// outcome: X`, `// basis: Y`, `// warnings: Z` (or `//=> outcome: X, basis: Y`)
//   are fields of the decision that statement made; a bare `// X` (or `//=> X`) is the
//   statement's own value; `// throws Name CODE: path: message (received …)` is the error it throws. Values are JavaScript; `…` elides items of a list, keys of an object
//   (`{ a: 1, … }`) or the end of a string (`'abc…'`). Text in parentheses after a value, and a
//   comment starting with `(`, is a remark. Blocks under one heading share their declarations
//   (`const orders = …` in one is there in the next).
// - The fenced block right after a code block is that code's output when its lead-in names an
//   `explain(decision…)` call (evaluated on the first decision of the code block), or when the
//   code prints with `console.log`.
// - A ```console block, or any block whose first line starts with `$ `, is a shell session: each
//   `$ ` line (with `\` continuations) is a command, the lines up to the next `$ ` are its
//   output (stdout, then stderr). `npx sales-policies` and `sales-policies` run the built CLI. A
//   shown line `…` stands for any number of lines, a `…` inside a line for any text. `$ cat FILE`
//   for a file that does not exist yet writes the shown lines to it (the example's input). The
//   commands run in a fresh folder holding `main-rules/` (the bundled rules), `rules/` (the
//   bundled rules with the "Changing a rule" dated version: directorLimit 1,000,000 from
//   2027-01-01), `our-rules/` and `edited-in-place/` (the limit edited in place) and `schema/`.
// - `<!-- readme-example: $ COMMAND -->` right before a block (invisible on GitHub and npm) makes
//   the block COMMAND's output, run as a shell session's command is: for output shown without
//   its command, such as an error message or a generated query.
// - `<!-- readme-example: skip REASON -->` right before a block marks it as not run, with its reason.
// - Everything else (install lines, command synopses, JSON and SQL fragments, output whose input
//   is not shown, examples that need PostgreSQL) is not run; the count is printed
//   (README_LIST=1 lists them).

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = fencedBlocks(README);

const MODULES: Record<string, string> = {
  'sales-policies': 'dist/index.js',
  'sales-policies/node': 'dist/node.js',
  'sales-policies/sql': 'dist/sql.js',
  'sales-policies/review': 'dist/review.js',
  'sales-policies/commission': 'dist/commission.js',
  'sales-policies/follow-up': 'dist/follow-up.js',
  'sales-policies/fulfilment': 'dist/fulfilment.js',
  'sales-policies/selling': 'dist/selling.js',
};

/** The folder the shell sessions and file-reading examples run in. */
const work = mkdtempSync(join(tmpdir(), 'sales-policies-readme-'));
cpSync(join(ROOT, 'rules'), join(work, 'main-rules'), { recursive: true });
cpSync(join(ROOT, 'schema'), join(work, 'schema'), { recursive: true });
cpSync(join(ROOT, 'rules'), join(work, 'rules'), { recursive: true });
cpSync(join(ROOT, 'rules'), join(work, 'our-rules'), { recursive: true });
cpSync(join(ROOT, 'rules'), join(work, 'edited-in-place'), { recursive: true });
editApproval('rules', (parameters) => {
  parameters.push({ ...parameters.at(-1), from: '2027-01-01', values: { ...parameters.at(-1).values, directorLimit: 1000000 } });
});
for (const folder of ['our-rules', 'edited-in-place']) {
  editApproval(folder, (parameters) => {
    parameters.at(-1).values.directorLimit = 1000000;
  });
}

function editApproval(folder: string, edit: (parameters: any[]) => void): void {
  const path = join(work, folder, 'review', 'approval.rules.json');
  const json = JSON.parse(readFileSync(path, 'utf8'));
  edit(json.parameters);
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
}

type Kind = { run: 'code' } | { run: 'command'; command: string } | { run: 'output'; of: Block; expression: string | undefined } | { run: 'shell' } | { run: 'no'; reason: string };

function kindOf(block: Block, previous: Block | undefined): Kind {
  if (block.marker?.startsWith('skip')) return { run: 'no', reason: block.marker.replace(/^skip:?\s*/, '') || 'marked skip' };
  if (block.marker?.startsWith('$ ')) return { run: 'command', command: block.marker.slice(2) };
  if (block.lang === 'ts' || block.lang === 'js') return { run: 'code' };
  if (block.lang === 'console' || block.lines[0]?.startsWith('$ ')) return { run: 'shell' };
  if (previous && (previous.lang === 'ts' || previous.lang === 'js') && ['', 'text'].includes(block.lang) && previous.line > 0) {
    const explained = /`(explain\(decision[^`]*\))`/.exec(block.leadIn);
    if (explained) return { run: 'output', of: previous, expression: explained[1] };
    if (previous.lines.some((l) => l.includes('console.log(')) && block.leadIn === '') return { run: 'output', of: previous, expression: undefined };
  }
  if (block.lang === 'sh') return { run: 'no', reason: 'install lines and command synopses' };
  if (block.lang === 'json' || block.lang === 'sql') return { run: 'no', reason: `${block.lang} fragments` };
  if (block.leadIn.includes('psql')) return { run: 'no', reason: 'needs PostgreSQL' };
  if (block.leadIn.includes('bench')) return { run: 'no', reason: 'benchmark output' };
  return { run: 'no', reason: 'output whose input is not shown' };
}

const kinds = blocks.map((block, i) => ({ block, kind: kindOf(block, blocks[i - 1]) }));
const notRun = kinds.filter((k) => k.kind.run === 'no');
const run = kinds.filter((k) => k.kind.run !== 'no');

afterAll(() => {
  const reasons = new Map<string, number>();
  for (const { kind } of notRun) if (kind.run === 'no') reasons.set(kind.reason, (reasons.get(kind.reason) ?? 0) + 1);
  if (process.env['README_LIST']) for (const { block, kind } of notRun) console.log(`not run: line ${block.line} (${block.heading}): ${kind.run === 'no' ? kind.reason : ''}`);
  console.log(`README examples: ${run.length} run, ${notRun.length} not run (${[...reasons].map(([r, n]) => `${n} ${r}`).join('; ')})`);
});

const IMPORT = /^import\s+(?:(\{[^}]*\})|(\w+))\s+from\s+'([^']+)'(?:\s+with\s+\{[^}]*\})?;$/s;

interface Ran {
  /** The value of each statement, and the decision it made (the last `evaluate` result during it). */
  results: { value: unknown; decision: unknown; thrown: unknown }[];
  decisions: unknown[];
  printed: string[];
}

async function runCode(block: Block): Promise<{ ran: Ran; checks: { statement: string; label: string; actual: unknown; expected: unknown }[] }> {
  const earlier = blocks.filter((b) => b.heading === block.heading && b.line < block.line && (b.lang === 'ts' || b.lang === 'js'));
  const own = statements(block.lines);
  const declared = (code: string) => /^(?:const|let|var)\s+(\w+)/.exec(code)?.[1];
  const ownNames = new Set(own.map((s) => declared(s.code)).filter(Boolean));
  const preamble = earlier.flatMap((b) => statements(b.lines).filter((s) => !isExpression(s.code) && !ownNames.has(declared(s.code))).map((s) => s.code));
  const ran: Ran = { results: [], decisions: [], printed: [] };
  const library = await import(pathToFileURL(join(ROOT, MODULES['sales-policies']!)).href);
  const recorded = {
    ...library,
    evaluate: (...args: unknown[]) => {
      const decision = library.evaluate(...args);
      ran.decisions.push(decision);
      return decision;
    },
  };
  const scope: Record<string, unknown> = {
    ...recorded,
    __record(value: unknown, decisionsBefore: number, thrown: unknown) {
      ran.results.push({ value, decision: ran.decisions.length > decisionsBefore ? ran.decisions.at(-1) : undefined, thrown });
    },
    __ran: ran,
    console: { log: (...args: unknown[]) => ran.printed.push(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ')) },
    // The stand-in for a database cursor in the streaming example: an async iterable of orders.
    ordersFromADatabaseCursor: async function* () {
      yield* [{ at: '2026-03-01T23:30:00Z', quantity: 5, source: 'store' }];
    },
  };
  const modules: Record<string, unknown> = { 'sales-policies': recorded };
  const body: string[] = [];
  for (const code of [...preamble, ...own.map((s) => s.code)]) {
    const imported = IMPORT.exec(code);
    if (imported) {
      const [, named, single, from] = imported;
      if (from!.endsWith('.json')) {
        body.push(`const ${single} = JSON.parse(__read(${JSON.stringify(from)}));`);
        continue;
      }
      modules[from!] ??= from!.startsWith('sales-policies') ? await import(pathToFileURL(join(ROOT, MODULES[from!]!)).href) : await import(from!);
      body.push(`const ${named!.replace(/\bas\b/g, ':')} = __modules[${JSON.stringify(from)}];`);
    } else body.push(code);
  }
  scope['__modules'] = modules;
  scope['__read'] = (path: string) => readFileSync(join(work, path), 'utf8');
  // Record each of the block's own expression statements, and every decision evaluate makes.
  const ownStart = body.length - own.length;
  const lines = body.map((code, i) => {
    const relative = code.replace(/'\.\/([^']*)'/g, (_, path: string) => JSON.stringify(join(work, path)));
    if (i < ownStart || !isExpression(relative)) return relative;
    return `{ const __before = __ran.decisions.length; let __value, __thrown; try { __value = await (${relative.replace(/;$/, '')}); } catch (error) { __thrown = error; } __record(__value, __before, __thrown); }`;
  });
  // The library's exports are in scope without an import (most examples leave it out); the body
  // is a block of its own, so an example's own import may shadow them.
  const names = Object.keys(scope);
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
  await new AsyncFunction(...names, `{\n${lines.join('\n')}\n}`)(...names.map((n) => scope[n]));
  const checks: { statement: string; label: string; actual: unknown; expected: unknown }[] = [];
  let result = 0;
  for (const statement of own) {
    if (!isExpression(statement.code)) continue;
    const { value, decision, thrown } = ran.results[result++]!;
    const throws = /^throws (.*)$/.exec(statement.comment);
    if (throws) {
      checks.push({ statement: statement.code, label: 'throws', actual: thrownText(thrown), expected: throws[1] });
      continue;
    }
    if (thrown) throw thrown;
    for (const [label, expected] of Object.entries(expectations(statement.comment))) {
      const actual = label === 'value' ? value : (decision as Record<string, unknown> | undefined)?.[label];
      checks.push({ statement: statement.code, label, actual: json(actual), expected });
    }
  }
  return { ran, checks };
}

/** A thrown error as the README writes it: `PolicyInputError INVALID_FACTS: path: message (received …)`. */
function thrownText(error: unknown): string[] {
  if (!(error instanceof Error)) return [`nothing thrown: ${String(error)}`];
  const { code, issues } = error as Error & { code?: string; issues?: { path: string; message: string; received?: unknown }[] };
  const issue = (received: boolean) => (issues ?? []).map((i) => `${i.path}: ${i.message}${received && i.received !== undefined ? ` (received ${JSON.stringify(i.received)})` : ''}`).join('; ');
  return [true, false].map((received) => `${error.name} ${code}: ${issue(received)}`);
}

function isExpression(code: string): boolean {
  return code !== '' && !/^(import|const|let|var|for|if|function|class|export)\b/.test(code);
}

function json(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function inspect(value: unknown): string {
  return Array.isArray(value) ? `[ ${value.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')} ]` : String(value);
}

function shown(expected: unknown): string {
  return JSON.stringify(expected, (_, v) => (v === ELIDED ? '…' : v));
}

function shell(block: Block): { command: string; expected: string }[] {
  const session: { command: string; expected: string[] }[] = [];
  for (let i = 0; i < block.lines.length; i++) {
    const line = block.lines[i]!;
    if (line.startsWith('$ ')) {
      let command = line.slice(2);
      while (command.endsWith('\\') && i + 1 < block.lines.length) command = `${command.slice(0, -1)} ${block.lines[++i]!.trim()}`;
      session.push({ command, expected: [] });
    } else session.at(-1)?.expected.push(line);
  }
  return session.map((s) => ({ command: s.command, expected: s.expected.join('\n') }));
}

function runShell(command: string, expected: string): string {
  const cat = /^cat (\S+)$/.exec(command);
  if (cat && !existsSync(join(work, cat[1]!))) {
    writeFileSync(join(work, cat[1]!), `${expected}\n`);
    return expected;
  }
  const cli = command.replace(/(^|\|\s*|&&\s*)(?:npx )?sales-policies\b/g, `$1${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)}`);
  const result = spawnSync('sh', ['-c', cli], { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return result.stdout + result.stderr;
}

describe('README examples print what they say', () => {
  it('finds examples to run', () => {
    expect(run.length).toBeGreaterThanOrEqual(44);
  });

  for (const { block, kind } of run) {
    const name = `line ${block.line} (${block.heading}): ${block.lang || 'output'} ${kind.run}`;
    if (kind.run === 'code') {
      it(name, async () => {
        const { checks } = await runCode(block);
        expect(checks.length > 0 || !block.lines.some((l) => /\/\/=?>?\s*(outcome|basis|warnings|throws|[[{'"\d])/.test(l)), 'the shown results were read').toBe(true);
        for (const check of checks) {
          if (check.label === 'throws') {
            expect(check.actual as string[], check.statement).toContain(check.expected);
            continue;
          }
          expect(matches(check.actual, check.expected), `${check.statement}\n${check.label}: shown ${shown(check.expected)}\nactual: ${JSON.stringify(check.actual)}`).toBe(true);
        }
      });
    } else if (kind.run === 'output') {
      it(name, async () => {
        const { ran } = await runCode(kind.of);
        let printed: string;
        if (kind.expression) {
          const { explain } = await import(pathToFileURL(join(ROOT, MODULES['sales-policies']!)).href);
          printed = new Function('explain', 'decision', `return ${kind.expression};`)(explain, ran.decisions[0]);
        } else printed = ran.printed.join('\n');
        const want = block.lines.join('\n');
        expect(textMatches(printed, want), `shown:\n${want}\n\nprinted:\n${printed}`).toBe(true);
      });
    } else if (kind.run === 'command') {
      it(name, () => {
        const expected = block.lines.join('\n');
        const printed = runShell(kind.command, expected);
        expect(textMatches(printed, expected), `$ ${kind.command}\nshown:\n${expected}\n\nprinted:\n${printed}`).toBe(true);
      });
    } else if (kind.run === 'shell') {
      it(name, () => {
        for (const { command, expected } of shell(block)) {
          const printed = runShell(command, expected);
          expect(textMatches(printed, expected), `$ ${command}\nshown:\n${expected}\n\nprinted:\n${printed}`).toBe(true);
        }
      });
    }
  }
});
