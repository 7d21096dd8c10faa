/**
 * The part of a rules file that evaluating it reads, for the copy bundled into the library: facts
 * (types, values, minimums, defaults), parameters, conditions, events, rule priorities and each
 * rule's clause id. The text written for people is left out: the file's title, the file's, each
 * fact's and each parameter's `description`, a parameter's `source` line, each rule's
 * `description` and the `quote` and `gloss` of its source clause, each parameter version's
 * `note`, and the outcome `labels`; where the file's shape requires a text, it says where the
 * text is. `explain` reads the quotes and labels from the text part ({@link textPart}), which
 * the build bundles apart (see `src/rule-texts.ts`), so an app that only evaluates ships none of
 * it. The rules file itself keeps everything (it ships in the package, and the CLI, docs and
 * explorer read it whole). Anything that is not shaped like a rules file comes back as it is,
 * for the loader to refuse with its usual errors.
 *
 * The library build applies this to every `*.rules.json` it bundles (tsup.config.ts); a test
 * proves every bundled file's decision part makes the same decisions, and that `explain` reads
 * the same from the built package as from the whole files.
 *
 * @example
 * decisionPart(approvalJson, 'rules/review/approval.rules.json').facts.amount.description;
 * //=> 'in rules/review/approval.rules.json'
 */
export function decisionPart(json: unknown, file: string): unknown {
  if (!isRecord(json)) return json;
  const elsewhere = `in ${file}`;
  const out: Record<string, unknown> = { ...json };
  if (typeof out['description'] === 'string') out['description'] = elsewhere;
  if (isRecord(out['title'])) out['title'] = { en: elsewhere, zh: elsewhere };
  delete out['labels'];
  if (isRecord(out['facts'])) out['facts'] = mapValues(out['facts'], (fact) => (isRecord(fact) && typeof fact['description'] === 'string' ? { ...fact, description: elsewhere } : fact));
  if (isRecord(out['parameterInfo'])) {
    out['parameterInfo'] = mapValues(out['parameterInfo'], (info) => {
      if (!isRecord(info)) return info;
      const { source: _source, ...rest } = info;
      return typeof rest['description'] === 'string' ? { ...rest, description: elsewhere } : rest;
    });
  }
  if (Array.isArray(out['parameters'])) out['parameters'] = out['parameters'].map((version: unknown) => (isRecord(version) ? without(version, 'note') : version));
  if (Array.isArray(out['rules'])) out['rules'] = out['rules'].map((rule: unknown) => (isRecord(rule) ? clauseOnly(without(rule, 'description')) : rule));
  return out;
}

/** A rule whose source names its clause and nothing more (the quote and gloss are text). */
function clauseOnly(rule: Record<string, unknown>): Record<string, unknown> {
  const source = rule['source'];
  return isRecord(source) && typeof source['clause'] === 'string' ? { ...rule, source: { clause: source['clause'] } } : rule;
}

/** The text of a rules file that {@link decisionPart} leaves out and `explain` shows. */
export interface TextPart {
  readonly title: { readonly en: string; readonly zh: string };
  /** Labels of outcome values, by outcome field then value, as in the file. */
  readonly labels: Readonly<Record<string, Readonly<Record<string, { readonly en: string; readonly zh: string }>>>>;
  /** Each rule's source clause with its quote and gloss, by the rule's position in the file. */
  readonly rules: readonly ({ readonly clause: string; readonly quote?: string; readonly gloss?: string } | null)[];
}

/**
 * The text `explain` shows that {@link decisionPart} leaves out: the title, the outcome labels and
 * each rule's source clause with its quote and gloss (by the rule's position in the file). Taking
 * the text part of a text part gives it back. Read from a file the build checked (a bundled rules
 * file), so its shape is not checked again; anything else gives no text.
 *
 * @example
 * textPart(approvalJson).rules[2]?.quote; //=> '單項合同金額在50-300萬元或50萬元以內有爭議的訂單,評審至銷售副總為止。'
 */
export function textPart(json: unknown): TextPart {
  if (!isRecord(json)) return { title: { en: '', zh: '' }, labels: {}, rules: [] };
  const title = isRecord(json['title']) ? (json['title'] as unknown as TextPart['title']) : { en: '', zh: '' };
  const labels = isRecord(json['labels']) ? (json['labels'] as TextPart['labels']) : {};
  const rules = Array.isArray(json['rules'])
    ? json['rules'].map((rule: unknown) => {
        const source: unknown = isRecord(rule) && 'conditions' in rule ? rule['source'] : rule;
        if (!isRecord(source) || typeof source['clause'] !== 'string') return null;
        return { clause: source['clause'], ...(typeof source['quote'] === 'string' ? { quote: source['quote'] } : {}), ...(typeof source['gloss'] === 'string' ? { gloss: source['gloss'] } : {}) };
      })
    : [];
  return { title, labels, rules };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function mapValues(record: Record<string, unknown>, map: (value: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) out[key] = map(record[key]);
  return out;
}

function without(record: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}
