import { rulesFixture } from './cli.js';

// The two rule changes the impact tests decide history under, each a copy of the bundled rules
// with one edit: the approval VP limit lowered, and COM-4's two handlers' 50/50 split given to the closer.

/**
 * The bundled rules with review.approval's vpLimit lowered from 3,000,000 to 2,000,000.
 *
 * @example
 * runCli(['impact', '--base', 'rules', '--rules', lowerVpRules(), '--data', file, '--policy', 'review.approval']);
 */
export function lowerVpRules(): string {
  return rulesFixture('review/approval.rules.json', (json) => {
    json.parameters[0].values.vpLimit = 2_000_000;
  });
}

/**
 * The bundled rules with COM-4's handlers' split (50/50) replaced by 100% for the closer.
 *
 * @example
 * runCli(['docs', '--html', page, '--rules', closerTakesAllRules(), '--data', deals]);
 */
export function closerTakesAllRules(): string {
  return rulesFixture('commission/allocation.rules.json', (json) => {
    const rule = json.rules.find((r: { name: string; event: { params: { shares?: { role: string }[] } } }) => r.name === 'COM-4' && r.event.params.shares?.[0]?.role === 'handlers');
    rule.event.params.shares = [{ role: 'closer', percent: 100 }];
  });
}
