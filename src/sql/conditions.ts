import { foldCondition } from '../core/condition-fold.js';
import { canonicalDecimal, decimalProblem, isDecimalType } from '../core/decimal.js';
import type { Operator } from '../core/operators.js';
import { comparisonFor } from '../core/operators.js';
import type { PathSegment } from '../core/path.js';
import { followPath, toDotPath } from '../core/path.js';
import type { Condition, LeafCondition, ValueType } from '../core/rule-file.js';
import { isFactReference, PARAMETER_PREFIX, parsePath } from '../core/rule-file.js';
import type { Dialect } from './dialect.js';
import { unstorableText } from './dialect.js';
import { safeJson } from '../core/errors.js';
import { SqlCompileError } from './errors.js';
import type { SqlValue } from './facts.js';

/** What compiling a rule's conditions needs: the facts as SQL, and the parameter version in force. */
export interface ConditionContext {
  readonly policy: string;
  readonly dialect: Dialect;
  /** The fact as SQL (input or derived), or `undefined` when the policy's SQL does not read it. */
  readonly fact: (name: string) => SqlValue | undefined;
  /** Parameter values in force (money and decimals canonical), by name without `param.`. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The type the rules file declares for a fact or `param.` name. */
  readonly declaredType: (name: string) => ValueType | undefined;
}

const TRUE = 'true';
const FALSE = 'false';

/**
 * Compiles a rule's conditions to one SQL boolean that is never NULL, with json-rules-engine's
 * semantics as `compile.ts` applies them: strict equality, `in`/`notIn` by strict equality,
 * ordering of money and decimal facts exactly, of numbers as numbers, and a missing or null
 * value equal to nothing but `null`. What it cannot write exactly is a {@link SqlCompileError}
 * naming the condition.
 *
 * @example
 * conditionSql(rule.conditions, ctx, 'rules[3].conditions'); //=> '("v:channel" = \'direct\' AND …)'
 */
export function conditionSql(condition: Condition, ctx: ConditionContext, at: string): string {
  // `at` is the root's path as written (`rules[3].conditions`); each node's path continues it.
  const where = (path: readonly PathSegment[]) => (path.length === 0 ? at : `${at}.${toDotPath(path)}`);
  return foldCondition<string>(condition, {
    all: (children) => group(children, 'AND'),
    any: (children) => group(children, 'OR'),
    not: (inner) => (inner === TRUE ? FALSE : inner === FALSE ? TRUE : `(NOT ${inner})`),
    fact: (leaf, path) => comparisonSql(leaf, ctx, where(path)),
  });
}

function group(parts: readonly string[], joiner: 'AND' | 'OR'): string {
  const absorbing = joiner === 'AND' ? FALSE : TRUE;
  const neutral = joiner === 'AND' ? TRUE : FALSE;
  if (parts.includes(absorbing)) return absorbing;
  const kept = parts.filter((part) => part !== neutral);
  if (kept.length === 0) return neutral;
  return kept.length === 1 ? kept[0]! : `(${kept.join(` ${joiner} `)})`;
}

function parameter(ctx: ConditionContext, name: string, path: string | undefined): unknown {
  return followPath(ctx.parameters[name.slice(PARAMETER_PREFIX.length)], path === undefined ? undefined : parsePath(path));
}

function canonicalLiteral(value: unknown, fail: (reason: string) => never): unknown {
  const one = (item: unknown) => {
    if (typeof item !== 'number' && typeof item !== 'string') return item;
    const problem = decimalProblem(item);
    if (problem !== undefined) fail(`it compares a decimal fact with ${JSON.stringify(item)}, which is not a decimal (${problem})`);
    return canonicalDecimal(item);
  };
  return Array.isArray(value) ? value.map(one) : one(value);
}

function comparisonSql(leaf: LeafCondition, ctx: ConditionContext, at: string): string {
  const fail = (reason: string): never => {
    throw new SqlCompileError(ctx.policy, `the condition on ${JSON.stringify(leaf.fact)} (operator ${JSON.stringify(leaf.operator)})`, reason, at);
  };
  const decimal = leaf.path === undefined && isDecimalType(ctx.declaredType(leaf.fact));
  // The value compared with: a written value, or a parameter (a constant for this version).
  let literal: unknown;
  if (isFactReference(leaf.value) && leaf.value.fact.startsWith(PARAMETER_PREFIX)) {
    const constant = parameter(ctx, leaf.value.fact, leaf.value.path);
    literal = decimal && leaf.value.path === undefined ? canonicalLiteral(constant, fail) : constant;
  } else if (isFactReference(leaf.value)) {
    return fail(`it compares two facts (${JSON.stringify(leaf.fact)} with ${JSON.stringify(leaf.value.fact)}); the SQL compiler compares a fact with a value or a parameter only`);
  } else {
    literal = decimal ? canonicalLiteral(leaf.value, fail) : leaf.value;
  }

  // A parameter on the left is a constant too: decide the comparison now, exactly as compile.ts would.
  if (leaf.fact.startsWith(PARAMETER_PREFIX)) {
    const left = parameter(ctx, leaf.fact, leaf.path);
    return comparisonFor(leaf.operator, decimal)(left, literal) ? TRUE : FALSE;
  }

  const fact = ctx.fact(leaf.fact);
  if (fact === undefined) return fail(`${JSON.stringify(leaf.fact)} is not a fact this policy's SQL reads`);
  if (leaf.path === undefined && (fact.type === 'decimal') !== decimal) {
    return fail(
      fact.type === 'decimal'
        ? `the rules file declares ${JSON.stringify(leaf.fact)} as ${ctx.declaredType(leaf.fact) ?? 'nothing'}, so the rules compare it as text; the SQL compares it as the decimal it is. Declare it "money" or "decimal"`
        : `the rules file declares ${JSON.stringify(leaf.fact)} as ${ctx.declaredType(leaf.fact)}, but its value is not a decimal`,
    );
  }
  let value = fact;
  if (leaf.path !== undefined) {
    const segments = parsePath(leaf.path);
    const field = segments?.length === 1 && typeof segments[0] === 'string' ? fact.fields?.[segments[0]] : undefined;
    if (field === undefined || !Object.prototype.hasOwnProperty.call(fact.fields, segments![0]!)) {
      return fail(`the path ${JSON.stringify(leaf.path)} is not one of the members the SQL reads${fact.fields ? ` (${Object.keys(fact.fields).map((k) => `$.${k}`).join(', ')})` : `: ${leaf.fact} is not an object`}`);
    }
    value = field;
  }
  return operatorSql(leaf.operator, value, literal, ctx.dialect, fail);
}

function operatorSql(operator: Operator, value: SqlValue, literal: unknown, dialect: Dialect, fail: (reason: string) => never): string {
  switch (operator) {
    case 'equal':
      return equalSql(value, literal, dialect, fail);
    case 'notEqual':
      return negate(equalSql(value, literal, dialect, fail));
    case 'in':
      return inSql(value, literal, dialect, fail);
    case 'notIn':
      return negate(inSql(value, literal, dialect, fail));
    case 'contains':
    case 'doesNotContain': {
      // json-rules-engine: the fact must be an array, and the value is found by strict equality.
      if (value.type !== 'list') return FALSE;
      if (typeof literal !== 'string') return operator === 'contains' ? FALSE : `(${value.sql} IS NOT NULL)`;
      const found = dialect.contains(value.sql, stringLiteral(literal, dialect, fail));
      return operator === 'contains' ? guard(value, found) : guard(value, `NOT ${found}`);
    }
    default: {
      const sqlOperator = { lessThan: '<', lessThanInclusive: '<=', greaterThan: '>', greaterThanInclusive: '>=' }[operator];
      if (value.type === 'decimal' && typeof literal === 'string') return guard(value, `${value.sql} ${sqlOperator} ${decimalLiteral(literal, dialect, fail)}`);
      if (value.type === 'number' && typeof literal === 'number') return guard(value, `${value.sql} ${sqlOperator} ${numberLiteral(literal, fail)}`);
      return fail(`ordering a ${value.type} value with ${JSON.stringify(literal)} follows JavaScript's coercions, which the SQL does not reproduce; order decimal facts with decimals and counts with numbers`);
    }
  }
}

function negate(sql: string): string {
  return sql === TRUE ? FALSE : sql === FALSE ? TRUE : `(NOT ${sql})`;
}

/** A comparison that is NULL when the value is missing counts as false, as in JavaScript. */
function guard(value: SqlValue, comparison: string): string {
  return value.nullable ? `COALESCE(${comparison}, false)` : `(${comparison})`;
}

function equalSql(value: SqlValue, literal: unknown, dialect: Dialect, fail: (reason: string) => never): string {
  if (literal === null) return value.isNull;
  if (literal === undefined) return fail('it compares with a parameter path that leads nowhere (undefined)');
  switch (typeof literal) {
    case 'string':
      if (value.type === 'string') return guard(value, `${value.sql} = ${stringLiteral(literal, dialect, fail)}`);
      if (value.type === 'decimal') return guard(value, `${value.sql} = ${decimalLiteral(literal, dialect, fail)}`);
      return FALSE;
    case 'number':
      return value.type === 'number' ? guard(value, `${value.sql} = ${numberLiteral(literal, fail)}`) : FALSE;
    case 'boolean':
      return value.type === 'boolean' ? guard(value, literal ? value.sql : `NOT ${value.sql}`) : FALSE;
    default:
      // An object or array written in the rule is a new object: never strictly equal to a fact.
      return FALSE;
  }
}

function inSql(value: SqlValue, list: unknown, dialect: Dialect, fail: (reason: string) => never): string {
  if (!Array.isArray(list)) return fail(`"in" and "notIn" compare with a list, not ${JSON.stringify(list)}`);
  const parts: string[] = [];
  const same: string[] = [];
  for (const item of list) {
    if (item === null) parts.push(value.isNull);
    else if (value.type === 'string' && typeof item === 'string') same.push(stringLiteral(item, dialect, fail));
    else if (value.type === 'decimal' && typeof item === 'string') same.push(decimalLiteral(item, dialect, fail));
    else if (value.type === 'number' && typeof item === 'number') same.push(numberLiteral(item, fail));
    else if (value.type === 'boolean' && typeof item === 'boolean') same.push(String(item));
  }
  if (same.length > 0) parts.unshift(guard(value, `${value.sql} IN (${[...new Set(same)].join(', ')})`));
  return group(parts, 'OR');
}

function stringLiteral(value: string, dialect: Dialect, fail: (reason: string) => never): string {
  const problem = unstorableText(value);
  if (problem !== undefined) fail(`the string ${safeJson(value)} cannot be a SQL literal: ${problem}`);
  return dialect.string(value);
}

function numberLiteral(value: number, fail: (reason: string) => never): string {
  const text = String(value);
  if (!Number.isFinite(value) || /e/i.test(text)) fail(`the number ${text} has no plain SQL literal`);
  return text;
}

/**
 * A canonical decimal as a literal of the dialect's exact decimal type.
 *
 * @example
 * decimalLiteral('500000', dialectOf('postgres'), fail); //=> "CAST('500000' AS numeric)"
 */
export function decimalLiteral(canonical: string, dialect: Dialect, fail: (reason: string) => never): string {
  if (dialect.name === 'duckdb') {
    const [integer = '', fraction = ''] = canonical.replace('-', '').split('.');
    if (integer.length > 28 || fraction.length > 10) fail(`the decimal ${canonical} does not fit DECIMAL(38,10), in which DuckDB compares exactly`);
  }
  return `CAST(${dialect.string(canonical)} AS ${dialect.decimal})`;
}
