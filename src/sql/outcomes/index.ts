import type { SqlOutcome } from '../outcome.js';
import { COMMISSION_ALLOCATION_SQL } from './commission-allocation.js';
import { COMMISSION_CONDUCT_SQL } from './commission-conduct.js';
import { FOLLOW_UP_ESCALATION_SQL } from './follow-up-escalation.js';

/**
 * The policies with SQL of their own (one module each in this folder), by id. Every other
 * policy's SQL comes from its metadata alone, where its shape allows (see `sqlSupport`).
 *
 * @example
 * Object.keys(SQL_OUTCOMES); //=> ['commission.allocation', 'commission.conduct', 'followUp.escalation']
 */
export const SQL_OUTCOMES: Readonly<Record<string, SqlOutcome>> = Object.fromEntries(
  [COMMISSION_ALLOCATION_SQL, COMMISSION_CONDUCT_SQL, FOLLOW_UP_ESCALATION_SQL].map((outcome) => [outcome.id, outcome]),
);
