import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ruleFilesEndingIn } from './case-files.js';

// Rule files are untrusted: these strings are what an attacker (or an unlucky analyst) puts in
// one, aimed at every place its text goes: SQL string literals under either
// standard_conforming_strings, dollar quotes, comments, generated JavaScript, HTML and JSON.

/**
 * The fixed corpus: quotes, backslashes, dollar quotes, comment openers and closers, every kind
 * of line break, NUL and other controls, bidi and BOM format characters, a lone surrogate,
 * script and markup, template and printf syntax.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  "'",
  "''",
  '\\',
  "\\'",
  "'\\",
  "\\\\'",
  '"',
  '\\"',
  '$$',
  '$s$',
  '$s',
  '$s0$ $s$ $$',
  '*/',
  '/*',
  '--',
  ';',
  '\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u2029',
  '\u0085',
  '\u0000',
  '\u0007\u001b[31m',
  '\u202e\u2066',
  '\ufeff',
  '\ud800',
  '中文\\\'',
  "'; DROP TABLE facts; --",
  "x = 1\nDROP TABLE facts; --",
  "*/ DROP TABLE facts; /*",
  '</script><script>globalThis.pwned = 1</script>',
  '<img src=x onerror="globalThis.pwned = 1">',
  '<!--',
  '&lt;b&gt; &amp;',
  '${globalThis.pwned = 1}',
  '`); globalThis.pwned = 1; (`',
  '"); globalThis.pwned = 1; ("',
  "'); globalThis.pwned = 1; ('",
  '\u2028globalThis.pwned = 1//',
  '%s %d {{x}} :name @p ?',
];

/**
 * Strings that, if pasted into a query, write a file into `dir` (DuckDB `COPY … TO`, PostgreSQL
 * `COPY … TO PROGRAM` and server-side `COPY … TO`), each shaped to end a literal, a dollar quote
 * or a comment first; a test then checks that `dir` stays empty.
 */
export function fileWritingStrings(dir: string): string[] {
  const duck = `COPY (SELECT 1) TO '${dir}/duckdb.csv'`;
  const program = `COPY (SELECT 1) TO PROGRAM 'touch ${dir}/program'`;
  const server = `COPY (SELECT 1) TO '${dir}/server.csv'`;
  return [duck, program, server].flatMap((copy) => [
    `'; ${copy}; --`,
    `\\'; ${copy}; --`,
    `\\''; ${copy}; --`,
    `$$; ${copy}; --`,
    `$s$; ${copy}; --`,
    `x\n${copy}; --`,
    `x\r${copy}; --`,
    `*/; ${copy}; /*`,
    `REV-6.5\\'] END; ${copy}; --`,
  ]);
}

/** A bundled rules file, parsed afresh (the caller may change it). */
export function bundledRules(file: string): any {
  return JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
}

/** Every bundled rules file, as paths relative to the package root. */
export const RULE_FILES: readonly string[] = ruleFilesEndingIn('.rules.json');

/**
 * Puts `text` into every free-text slot of a rules file (titles, descriptions, source document
 * and quotes, clause ids, glosses, notes, labels): slots that take any text, so the file must
 * still load and decide as before.
 *
 * @example
 * const json = withTextEverywhere(bundledRules('rules/review/approval.rules.json'), '</script>');
 */
export function withTextEverywhere(json: any, text: (slot: number) => string): any {
  let slot = 0;
  const next = () => text(slot++);
  json.title = { en: next(), zh: next() };
  json.description = next();
  json.source = { document: next(), seed: next(), published: next() };
  for (const fact of Object.values<any>(json.facts)) fact.description = next();
  for (const info of Object.values<any>(json.parameterInfo ?? {})) {
    info.description = next();
    info.source = next();
  }
  for (const version of json.parameters) version.note = next();
  for (const values of Object.values<any>(json.labels ?? {})) for (const label of Object.values<any>(values)) Object.assign(label, { en: next(), zh: next() });
  for (const rule of json.rules) {
    rule.description = next();
    rule.source = { clause: next(), quote: next(), gloss: next() };
  }
  return json;
}

/**
 * Puts `texts` into values the rules compare with, without changing any decision: a string
 * parameter `hostile<i>` holding each, and beside the first rule's conditions an alternative that
 * never holds (the first declared string fact equal to each text, in a list of them all, equal
 * to each parameter, and each parameter compared with its own text, all at once).
 *
 * @example
 * const json = withTextsInValues(bundledRules('rules/review/approval.rules.json'), ["\\'; DROP"]);
 */
export function withTextsInValues(json: any, texts: readonly string[]): any {
  const names = texts.map((_, i) => `hostile${i}`);
  json.parameterInfo = { ...(json.parameterInfo ?? {}), ...Object.fromEntries(names.map((name) => [name, { type: 'string', description: 'a hostile text' }])) };
  for (const version of json.parameters) texts.forEach((text, i) => (version.values[names[i]!] = text));
  const fact = stringFact(json);
  // A file whose facts are all decimals (fulfilment.spending) compares only the parameters.
  const withFact = fact === undefined ? [] : [...texts.map((text) => ({ fact, operator: 'equal', value: text })), { fact, operator: 'in', value: [...texts] }, ...names.map((name) => ({ fact, operator: 'equal', value: { fact: `param.${name}` } }))];
  // Each parameter compared with its own text: always true beside a fact comparison (which the SQL then keeps), false alone.
  const operator = fact === undefined ? 'notEqual' : 'equal';
  const never = { all: [...withFact, ...names.map((name, i) => ({ fact: `param.${name}`, operator, value: texts[i] }))] };
  json.rules[0].conditions = { any: [json.rules[0].conditions, never] };
  return json;
}

/**
 * The first declared string fact (the SQL writes a literal for a comparison with one), else the
 * first fact that may be compared with a string at all (not money or decimal).
 */
function stringFact(json: any): string | undefined {
  const facts = Object.entries<any>(json.facts);
  return (facts.find(([, declaration]) => declaration.type === 'string' && !declaration.derived) ?? facts.find(([, declaration]) => declaration.type !== 'money' && declaration.type !== 'decimal'))?.[0];
}

/**
 * Puts `text` into the first string rule number `rule` gives as an outcome (an event
 * parameter): the policy may refuse it (a rule gap), but never run it. Returns whether the rule
 * gives a string outcome at all.
 *
 * @example
 * withTextInOutcome(json, '$$', 0); //=> true
 */
export function withTextInOutcome(json: any, text: string, rule: number): boolean {
  const params = json.rules[rule]?.event.params ?? {};
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string') {
      params[key] = text;
      return true;
    }
    if (Array.isArray(value) && typeof value[0] === 'string') {
      value[0] = text;
      return true;
    }
  }
  return false;
}

/** The places a name sits in a rules file, each set to `name` by the edit. */
export const NAME_SLOTS: readonly (readonly [string, (json: any, name: string) => void])[] = [
  ['policy', (json, name) => (json.policy = name)],
  ['fact', (json, name) => (json.facts[name] = { type: 'string', description: 'x' })],
  ['parameter', (json, name) => {
    json.parameterInfo = { ...(json.parameterInfo ?? {}), [name]: { type: 'string', description: 'x' } };
    for (const version of json.parameters) version.values[name] = 'x';
  }],
  ['rule name', (json, name) => (json.rules[0].name = name)],
  ['event type', (json, name) => (json.rules[0].event.type = name)],
  ['label field', (json, name) => (json.labels = { ...(json.labels ?? {}), [name]: {} })],
  ['labelled value', (json, name) => (json.labels = { ...(json.labels ?? {}), authority: { ...(json.labels?.authority ?? {}), [name]: { en: 'x', zh: 'x' } } })],
  ['monotone outcome', (json, name) => (json.monotone = [{ fact: 'amount', outcome: name, order: ['a', 'b'] }])],
  ['monotone order', (json, name) => (json.monotone = [{ fact: 'amount', outcome: 'authority', order: ['a', name] }])],
];
