import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readRuleFolder } from '../node/rule-folder.js';
import type { Finding } from '../toolkit/findings.js';
import { formatFindingsGithub, formatFindingsText } from '../toolkit/findings.js';
import { jsonLines, lineOf } from '../toolkit/json-lines.js';
import { policyShape } from '../toolkit/policy-shape.js';
import { validateRuleFile } from '../toolkit/validate.js';
import type { Io } from './io.js';
import type { VerbSpec } from './command.js';
import { formatFlag, parseVerb } from './command.js';
import { EXIT, rulesDir, UsageError } from './io.js';

/** `sales-policies validate`: its flags, help and examples. */
export const validateSpec = {
  name: 'validate',
  summary: 'Is the rule set sound? Checks every rules file\'s shape and references, then its decision space: gaps, conflicts, unreachable rules, monotonicity.',
  usage: 'validate [--rules DIR] [--format text|json|github] [--strict]',
  flags: {
    rules: { type: 'string', short: 'r', value: 'DIR', help: 'the rules folder to check (default: the bundled rules)' },
    strict: { type: 'boolean', help: 'warnings fail too (example parameters, a missing or broken $schema)' },
    ...formatFlag(['text', 'json', 'github']),
  },
  examples: ['sales-policies validate --rules our-rules', 'sales-policies validate --rules our-rules --format github   # annotations on a pull request', 'sales-policies validate --rules our-rules --strict', 'sales-policies validate --format json | jq .errors'],
  details: 'JSON: {"files": [path], "errors": n, "warnings": n, "findings": [{severity, code, file, path, line, message}]}. Exit 1 with an error, or with a warning under --strict.',
} as const satisfies VerbSpec;

/**
 * `sales-policies validate [--rules DIR] [--format text|json|github] [--strict]`: is the rule set
 * sound? Errors exit 1; warnings (example parameters, a missing or broken `$schema`) exit 1 only
 * with `--strict`.
 *
 * @example
 * validateVerb(['--rules', 'my-rules', '--format', 'github'], io); //=> 0 when sound, 1 with findings
 */
export function validateVerb(args: readonly string[], io: Io): number {
  const { values, positionals } = parseVerb(validateSpec, args);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const format = values.format ?? 'text';
  const folder = readRuleFolder(rulesDir(values.rules));
  if (folder.rules.length === 0) throw new UsageError(`no *.rules.json files under ${values.rules ?? 'the bundled rules'}`);
  const findings: Finding[] = [];
  const owners = new Map<string, string>();
  folder.rules.forEach((file, index) => {
    io.progress?.(`validating ${file.path} (${index + 1}/${folder.rules.length})`);
    const lines = jsonLines(file.text);
    const located = (finding: Omit<Finding, 'line'>): Finding => ({ ...finding, line: lineOf(lines, finding.path) });
    if (file.parseError !== undefined) {
      findings.push(located({ severity: 'error', code: file.parseCode ?? 'invalid_json', file: file.path, path: file.parsePath ?? '', message: file.parseCode === 'duplicate_key' ? file.parseError : `not JSON: ${file.parseError}` }));
      return;
    }
    const json = file.json as { $schema?: unknown; policy?: unknown };
    // A $schema costs editor support, never a decision: a warning (`--strict` makes it fail).
    if (json !== null && typeof json === 'object' && typeof json.$schema !== 'string') {
      findings.push(located({ severity: 'warning', code: 'missing_schema', file: file.path, path: '', message: 'no $schema: editors cannot check this file (run "sales-policies init" for a copy whose $schema points to the installed package)' }));
    } else if (typeof json?.$schema === 'string' && !/^[a-z]+:\/\//i.test(json.$schema) && !existsSync(resolve(dirname(file.absolutePath), json.$schema))) {
      findings.push(located({ severity: 'warning', code: 'broken_schema', file: file.path, path: '$schema', message: `$schema points to ${json.$schema}, which does not exist next to this file: editors cannot check it` }));
    }
    if (typeof json?.policy === 'string') {
      const other = owners.get(json.policy);
      if (other) findings.push(located({ severity: 'error', code: 'duplicate_policy', file: file.path, path: 'policy', message: `${other} already defines ${json.policy}` }));
      else owners.set(json.policy, file.path);
    }
    const policy = typeof json?.policy === 'string' ? policyShape(json.policy) : undefined;
    for (const finding of validateRuleFile(file.json, file.path, { policy })) findings.push(located(finding));
  });
  io.progress?.('');
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  if (format === 'json') io.out(JSON.stringify({ files: folder.rules.map((f) => f.path), errors, warnings, findings }, null, 2));
  else {
    if (findings.length > 0) io.out(format === 'github' ? formatFindingsGithub(findings) : formatFindingsText(findings));
    io.err(`${folder.rules.length} rules file${folder.rules.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${values.strict === true && warnings > 0 ? ' (--strict: warnings fail)' : ''}`);
  }
  return errors > 0 || (values.strict === true && warnings > 0) ? EXIT.findings : EXIT.ok;
}
