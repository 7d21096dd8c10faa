/// <reference lib="dom" />
import type { InputIssue } from '../core/errors.js';
import type { FactDeclaration } from '../core/rule-file.js';
import { domId, h } from './dom.js';
import type { Words } from './words.js';

/**
 * What a form field holds, as text: `''` for a fact not given; booleans hold `'unset'`, `'true'`
 * or `'false'` (a checkbox alone cannot say "not given", and some policies refuse a fact that does
 * not apply even when it is false).
 */
export type RawFacts = Record<string, string>;

/**
 * The facts the caller gives: every declared fact not computed by the policy.
 *
 * @example
 * inputFacts(readiness.spec.facts).map(([name]) => name); //=> ['amount', 'channel', …, 'signoffs']
 */
export function inputFacts(facts: Readonly<Record<string, FactDeclaration>>): [string, FactDeclaration][] {
  return Object.entries(facts).filter(([, declaration]) => declaration.derived !== true);
}

/** What a nullable fact's field holds for null. */
const NULL_TEXT = 'null';

/**
 * Turns facts (an example's) into what the form fields hold.
 *
 * @example
 * rawFromFacts({ disputed: { type: 'boolean', description: '…' } }, { disputed: true }); //=> { disputed: 'true' }
 */
export function rawFromFacts(declarations: Readonly<Record<string, FactDeclaration>>, facts: Readonly<Record<string, unknown>>): RawFacts {
  const raw: RawFacts = {};
  for (const [name, declaration] of inputFacts(declarations)) {
    const value = Object.prototype.hasOwnProperty.call(facts, name) ? facts[name] : undefined;
    if (declaration.type === 'boolean') raw[name] = value === true ? 'true' : value === false ? 'false' : 'unset';
    else if (value === undefined) raw[name] = '';
    else if (isJsonField(declaration)) raw[name] = jsonText(value);
    else if (value === null && declaration.nullable === true) raw[name] = NULL_TEXT;
    else raw[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return raw;
}

/**
 * Reads the facts to evaluate from the form's text. Text left empty (and a boolean left "not
 * given") leaves the fact out, so the policy's own default or "required" message applies. Numbers
 * and strings are passed as typed: the library, not the form, judges them. Only text that is not
 * JSON is refused here, with an issue shaped like the library's.
 *
 * @example
 * factsFromRaw(declarations, { amount: '1200000', disputed: 'unset' }); //=> { facts: { amount: '1200000' }, issues: [] }
 */
export function factsFromRaw(declarations: Readonly<Record<string, FactDeclaration>>, raw: RawFacts, words: Words): { facts: Record<string, unknown>; issues: InputIssue[] } {
  const facts: Record<string, unknown> = {};
  const issues: InputIssue[] = [];
  for (const [name, declaration] of inputFacts(declarations)) {
    const text = raw[name] ?? '';
    if (declaration.type === 'boolean') {
      if (text === 'true' || text === 'false') facts[name] = text === 'true';
      continue;
    }
    if (text.trim() === '') continue;
    if (isJsonField(declaration)) {
      try {
        facts[name] = JSON.parse(text);
      } catch (error) {
        issues.push({ code: 'invalid_json', path: name, message: `${words.invalidJson}: ${error instanceof Error ? error.message : String(error)}`, received: text, expected: 'JSON' });
      }
      continue;
    }
    // A fact declared nullable takes null as the literal word null (an empty field leaves it out).
    if (declaration.nullable === true && text.trim() === NULL_TEXT) {
      facts[name] = null;
      continue;
    }
    if (declaration.type === 'integer') {
      const number = Number(text);
      facts[name] = Number.isFinite(number) ? number : text;
      continue;
    }
    facts[name] = text;
  }
  return { facts, issues };
}

/** JSON with a space after each comma and colon, one item per line for a list of objects (signoffs read as a table). */
function jsonText(value: unknown): string {
  if (Array.isArray(value) && value.some((item) => item !== null && typeof item === 'object')) return `[\n${value.map((item) => spaced(item)).join(',\n')}\n]`;
  return spaced(value);
}

function spaced(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(spaced).join(', ')}]`;
  if (value !== null && typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${spaced(v)}`).join(', ')} }`;
  return JSON.stringify(value) ?? 'null';
}

function isJsonField(declaration: FactDeclaration): boolean {
  return declaration.type === 'list' || declaration.type === 'object' || declaration.type === 'json';
}

/** Options of {@link factField}. */
export interface FieldOptions {
  readonly policy: string;
  readonly name: string;
  readonly declaration: FactDeclaration;
  readonly value: string;
  readonly words: Words;
}

/**
 * One labelled form field for a fact, named after it (`name="amount"`): a three-state checkbox for
 * a boolean, a select for a string with a closed set of values, a JSON text area for a list or
 * object, a text input otherwise (with the keyboard hint of its kind).
 *
 * @example
 * factField({ policy: 'review.approval', name: 'amount', declaration, value: '1200000', words });
 */
export function factField(options: FieldOptions): HTMLElement {
  const { policy, name, declaration, value, words } = options;
  const id = domId(policy, 'fact', name);
  const help = domId(policy, 'help', name);
  const error = domId(policy, 'error', name);
  const describedBy = `${help} ${error}`;
  const label = h('label', { for: id }, h('code', {}, name), ' ', h('span', { class: 'type' }, declaration.type));
  const description = h('p', { class: 'help', id: help }, declaration.description);
  const problem = h('p', { class: 'field-error', id: error, hidden: true });
  let control: HTMLElement;
  if (declaration.type === 'boolean') {
    const box = h('input', { type: 'checkbox', id, name, 'data-fact': name, 'data-state': value, 'aria-describedby': describedBy });
    setTriState(box, value === 'true' ? 'true' : value === 'false' ? 'false' : 'unset', words);
    box.addEventListener('click', () => {
      const current = box.dataset['state'];
      setTriState(box, current === 'unset' ? 'true' : current === 'true' ? 'false' : 'unset', words);
    });
    const state = h('span', { class: 'state', 'aria-hidden': 'true' });
    state.textContent = stateText(box.dataset['state'] ?? 'unset', words);
    return h('div', { class: 'field field-boolean' }, h('div', { class: 'check' }, box, label, state), description, problem);
  }
  if (declaration.values !== undefined && declaration.type === 'string') {
    const select = h('select', { id, name, 'data-fact': name, 'aria-describedby': describedBy }, h('option', { value: '' }, words.notGivenOption), ...declaration.values.map((v) => h('option', { value: v }, v)));
    select.value = declaration.values.includes(value) ? value : '';
    control = select;
  } else if (isJsonField(declaration)) {
    // About 48 characters fit a line of the form's column.
    const lines = value.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 48)), 0);
    const area = h('textarea', { id, name, 'data-fact': name, rows: Math.min(Math.max(lines, 2), 10), spellcheck: 'false', autocomplete: 'off', 'aria-describedby': describedBy });
    area.value = value;
    control = area;
  } else {
    const numeric = declaration.type === 'money' || declaration.type === 'decimal' || declaration.type === 'integer';
    const input = h('input', {
      type: 'text',
      id,
      name,
      'data-fact': name,
      inputmode: numeric ? (declaration.type === 'integer' ? 'numeric' : 'decimal') : undefined,
      placeholder: declaration.type === 'date' ? 'YYYY-MM-DD' : declaration.nullable === true ? 'null = none' : undefined,
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': describedBy,
    });
    input.value = value;
    control = input;
  }
  return h('div', { class: 'field' }, label, control, description, problem);
}

function setTriState(box: HTMLInputElement, state: 'unset' | 'true' | 'false', words: Words): void {
  box.dataset['state'] = state;
  box.indeterminate = state === 'unset';
  box.checked = state === 'true';
  const shown = box.parentElement?.querySelector('.state');
  if (shown) shown.textContent = stateText(state, words);
}

function stateText(state: string, words: Words): string {
  return state === 'unset' ? `(${words.notGiven})` : state;
}

/**
 * Reads what every field of a form holds.
 *
 * @example
 * readRaw(form); //=> { amount: '1200000', channel: 'direct', disputed: 'unset' }
 */
export function readRaw(form: HTMLFormElement): RawFacts {
  const raw: RawFacts = {};
  for (const element of form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('[data-fact]')) {
    const name = element.dataset['fact']!;
    raw[name] = element instanceof HTMLInputElement && element.type === 'checkbox' ? (element.dataset['state'] ?? 'unset') : element.value;
  }
  return raw;
}

/**
 * Marks the fields the issues point at (the first segment of each issue's path) as invalid and
 * shows each field's messages under it; clears the others.
 *
 * @example
 * markIssues(form, 'review.approval', [{ path: 'amount', message: '…', … }]);
 */
export function markIssues(form: HTMLFormElement, policy: string, issues: readonly InputIssue[]): void {
  const byField = new Map<string, string[]>();
  for (const issue of issues) {
    const field = /^[^.[]+/.exec(issue.path)?.[0];
    if (field === undefined) continue;
    byField.set(field, [...(byField.get(field) ?? []), `${issue.path}: ${issue.message}`]);
  }
  for (const element of form.querySelectorAll<HTMLElement>('[data-fact]')) {
    const name = element.dataset['fact']!;
    const messages = byField.get(name);
    const problem = form.querySelector<HTMLElement>(`#${domId(policy, 'error', name)}`);
    if (messages) element.setAttribute('aria-invalid', 'true');
    else element.removeAttribute('aria-invalid');
    if (problem) {
      problem.textContent = messages?.join('\n') ?? '';
      problem.hidden = messages === undefined;
    }
  }
}
