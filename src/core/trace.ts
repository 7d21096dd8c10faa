import type { Operator } from './operators.js';
import type { SourceRef } from './rule-file.js';

/** How one condition came out, with the values it compared. */
export type ConditionTrace = GroupTrace | NotTrace | ComparisonTrace;

/** An `all` or `any` group and each of its conditions. */
export interface GroupTrace {
  readonly kind: 'all' | 'any';
  /** The condition's `name`, or the shared condition it was written out from. */
  readonly name?: string;
  readonly result: boolean;
  readonly conditions: readonly ConditionTrace[];
}

/** A `not` and the condition it negates. */
export interface NotTrace {
  readonly kind: 'not';
  /** The condition's `name`, or the shared condition it was written out from. */
  readonly name?: string;
  readonly result: boolean;
  readonly condition: ConditionTrace;
}

/** One comparison: the fact's value seen, the operator, the value it was compared with. */
export interface ComparisonTrace {
  readonly kind: 'fact';
  /** The condition's `name`, or the shared condition it was written out from. */
  readonly name?: string;
  readonly result: boolean;
  readonly fact: string;
  readonly path?: string;
  readonly operator: Operator;
  /** The value of the fact (at `path`); absent when there was none, and then `missing` says so. */
  readonly factValue?: unknown;
  /**
   * Present when the fact had no value: `fact` when the facts did not give it, `path` when they did
   * but nothing was at `path`. Like json-rules-engine with `allowUndefinedFacts: true`, the
   * comparison then runs on `undefined` (so `notEqual` and `notIn` hold), never throws.
   */
  readonly missing?: Missing;
  /** What it was compared with; absent when it was another fact's value and there was none. */
  readonly value?: unknown;
  /** Where `value` came from when it was not written in the rule: `param.vpLimit`, or another fact. */
  readonly valueFrom?: string;
  /** Present when `value` comes from another fact (`valueFrom`) and that fact had no value. */
  readonly valueMissing?: Missing;
}

/** Why a comparison saw no value: the fact was not given, or it was and nothing was at the path. */
export type Missing = 'fact' | 'path';

/** How one rule came out: whether it fired, and why. */
export interface RuleTrace {
  /** The rule's clause id (its json-rules-engine `name`), e.g. `REV-6.2`. */
  readonly rule: string;
  /** Position of the rule in its file, so rules sharing a clause id stay apart. */
  readonly index: number;
  readonly priority: number;
  readonly fired: boolean;
  readonly conditions: ConditionTrace;
  /** The clause of the source the rule encodes, with its quote. */
  readonly source?: SourceRef;
}
