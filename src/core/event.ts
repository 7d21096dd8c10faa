import * as z from 'zod/mini';
import type { CompiledRule, CompiledRuleFile } from './compile.js';
import type { RuleSetIssue } from './errors.js';
import { safeJson } from './errors.js';
import { toInputIssues } from './facts.js';
import { toDotPath } from './path.js';
import { MAX_RULE_SET_ISSUES } from './rule-file.js';

/**
 * The events a policy's rules may give: each event `type` the policy reads, and the zod/mini
 * schema of that event's `params` (use `noParams()` for an event that carries none). Build the
 * schemas from the same constants the outcome types use (`z.enum(APPROVAL_AUTHORITIES)`), so an
 * outcome value the policy does not know cannot load. Schemas check, never transform: `decide`
 * reads the params as the rules file wrote them.
 *
 * @example
 * const event = { approval: z.strictObject({ authority: z.enum(APPROVAL_AUTHORITIES) }) } satisfies EventSchema;
 */
export type EventSchema = Readonly<Record<string, z.ZodMiniType>>;

/**
 * The events a rules file checked against schema `S` can give, as a union discriminated by `type`.
 *
 * @example
 * type Approval = EventOf<{ approval: typeof approvalParams }>; //=> { type: 'approval'; params: { authority: ApprovalAuthority } }
 */
export type EventOf<S extends EventSchema> = {
  readonly [T in keyof S & string]: { readonly type: T; readonly params: z.output<S[T]> };
}[keyof S & string];

/**
 * A fired rule whose event has been checked against the policy's event schema when its rules file
 * was compiled: what `decide` receives, so it reads `rule.definition.event.params.authority`
 * typed, with no check at run time.
 *
 * @example
 * const authority = rule.definition.event.params.authority; // ApprovalAuthority
 */
export type DecidingRule<S extends EventSchema> = CompiledRule & { readonly definition: { readonly event: EventOf<S> } };

/**
 * The params schema of an event that carries none: `params` absent or `{}`.
 *
 * @example
 * const event = { ready: noParams(), blocker: z.strictObject({ reason: z.enum(READINESS_BLOCKERS) }) };
 */
export function noParams() {
  return z.optional(z.strictObject({}));
}

/**
 * Checks every rule's event in a compiled rules file against a policy's event schema: a known
 * `type`, and `params` that fit its schema. Returns the problems (at most `MAX_RULE_SET_ISSUES`), each with the file
 * and the JSON path, e.g. `rules[3].event.params.authority`; empty when every event fits.
 *
 * @example
 * eventIssues(compileRuleFile(json, 'our.rules.json'), reviewApproval.definition.event)[0]?.path;
 * //=> 'rules[3].event.params.authority' (a rule that gives authority "ceo")
 */
export function eventIssues(compiled: CompiledRuleFile, schema: EventSchema): RuleSetIssue[] {
  const issues: RuleSetIssue[] = [];
  const file = compiled.spec.file;
  const types = Object.keys(schema);
  compiled.spec.rules.forEach((rule, index) => {
    const at: (string | number)[] = ['rules', index, 'event'];
    const { type, params } = rule.event;
    if (!Object.prototype.hasOwnProperty.call(schema, type)) {
      issues.push({ code: 'invalid_event', file, path: toDotPath([...at, 'type']), message: `unknown event type ${safeJson(type)}: ${compiled.spec.policy} reads ${types.map((t) => safeJson(t)).join(', ')}` });
      return;
    }
    const result = schema[type]!.safeParse(params);
    if (result.success) return;
    for (const issue of toInputIssues(result.error.issues.map(namingDiscriminator), params)) {
      const path = toDotPath([...at, 'params']) + (issue.path === '' ? '' : issue.path.startsWith('[') ? issue.path : `.${issue.path}`);
      const received = issue.received === undefined ? '' : ` (received ${safeJson(issue.received)})`;
      issues.push({ code: 'invalid_event', file, path, message: `${issue.message}${received}` });
    }
  });
  return issues.slice(0, MAX_RULE_SET_ISSUES);
}

/** A discriminated union's "no matching discriminator" issue, worded as the values the discriminator takes. */
function namingDiscriminator(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  const options = (issue as { options?: readonly unknown[] }).options;
  if (issue.code !== 'invalid_union' || options === undefined || options.length === 0) return issue;
  const expected = `one of ${options.map((value) => safeJson(value)).join(', ')}`;
  return { code: 'custom', path: issue.path, input: issue.input, message: `expected ${expected}`, params: { expected } };
}
