/**
 * The part of a rules file that evaluating it reads, for the copy bundled into the library: the
 * prose written for analysts — the file's, each fact's and each parameter's `description`, a
 * parameter's `source` line, each rule's `description`, each parameter version's `note` — is
 * left out, and where the file's shape requires a text, it says where the text is. What
 * decisions and `explain` show stays: facts, parameters, conditions, events, rule priorities,
 * each rule's source clause with its quote and gloss (the trace carries them), title and labels.
 * The rules file itself keeps everything (it ships in the package, and the CLI, docs and explorer
 * read it whole). Anything that is not shaped like a rules file comes back as it is, for the
 * loader to refuse with its usual errors.
 *
 * The library build applies this to every `*.rules.json` it bundles (tsup.config.ts); a test
 * proves every bundled file's decision part makes the same decisions and explanations.
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
  if (isRecord(out['facts'])) out['facts'] = mapValues(out['facts'], (fact) => (isRecord(fact) && typeof fact['description'] === 'string' ? { ...fact, description: elsewhere } : fact));
  if (isRecord(out['parameterInfo'])) {
    out['parameterInfo'] = mapValues(out['parameterInfo'], (info) => {
      if (!isRecord(info)) return info;
      const { source: _source, ...rest } = info;
      return typeof rest['description'] === 'string' ? { ...rest, description: elsewhere } : rest;
    });
  }
  if (Array.isArray(out['parameters'])) out['parameters'] = out['parameters'].map((version: unknown) => (isRecord(version) ? without(version, 'note') : version));
  if (Array.isArray(out['rules'])) out['rules'] = out['rules'].map((rule: unknown) => (isRecord(rule) ? without(rule, 'description') : rule));
  return out;
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
