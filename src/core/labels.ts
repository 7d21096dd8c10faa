import { safeJson } from './errors.js';
import type { Label } from './rule-file.js';

/** Labels by outcome field, then value, as a rules file gives them. */
export type OutcomeLabels = Readonly<Record<string, Readonly<Record<string, Label>>>>;

/**
 * An outcome value as people read it: ids with their label in `lang`, lists of ids joined by
 * arrows (a route), anything else as short JSON.
 *
 * @example
 * describeValue('sales_vp', { sales_vp: { en: 'Sales Vice President', zh: '銷售副總' } }, 'zh'); //=> 'sales_vp (銷售副總)'
 */
export function describeValue(value: unknown, labels: Readonly<Record<string, Label>>, lang: 'en' | 'zh'): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((item) => typeof item === 'string')) return value.map((item) => labelled(item, labels, lang)).join(' → ');
    return safeJson(value, 400);
  }
  if (typeof value === 'string') return labelled(value, labels, lang);
  return safeJson(value, 400);
}

/**
 * The labels of one outcome field (none when the rules file gives none).
 *
 * @example
 * labelsFor(spec.labels, 'authority').sales_vp?.en; //=> 'Sales Vice President'
 */
export function labelsFor(labels: OutcomeLabels, field: string): Readonly<Record<string, Label>> {
  return Object.prototype.hasOwnProperty.call(labels, field) ? labels[field]! : {};
}

function labelled(value: string, labels: Readonly<Record<string, Label>>, lang: 'en' | 'zh'): string {
  const label = Object.prototype.hasOwnProperty.call(labels, value) ? labels[value] : undefined;
  return label ? `${value} (${label[lang]})` : value;
}
