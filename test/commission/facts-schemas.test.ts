// The facts schemas of the commission policies, built fresh from each policy's definition (as
// `evaluate` builds them once per zone and size bound): exactly the values SPEC §2 names are
// accepted, and nothing else.
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { commissionAllocation } from '../../src/commission/allocation.js';
import { commissionConduct } from '../../src/commission/conduct.js';
import { commissionHandler } from '../../src/commission/handler.js';
import { commissionProtection } from '../../src/commission/protection.js';
import { engineOf } from '../../src/core/policy.js';

const CONTEXT = { timeZone: 'Asia/Shanghai', maxItems: 100 };
const check = (schema: z.ZodMiniType, input: unknown) => {
  const result = z.safeParse(schema, input);
  return result.success ? 'ok' : result.error.issues.map((issue) => issue.path.join('.')).join(',');
};

describe('commission.handler facts', () => {
  const schema = () => engineOf(commissionHandler).definition.facts(CONTEXT);

  it.each([
    ['add_on', 'present'],
    ['shop_transfer', 'absent'],
    ['payment_change', 'departed'],
    ['intent_refund', 'present'],
    ['intent_sign', 'absent'],
  ])('accepts request %s with the original agent %s', (request, originalAgentStatus) => {
    expect(check(schema(), { request, originalAgent: 'li', originalAgentStatus })).toBe('ok');
  });

  it.each([
    [{ request: '', originalAgentStatus: 'present' }, 'request'],
    [{ request: 'add_on', originalAgentStatus: '' }, 'originalAgentStatus'],
    [{ request: 'refund', originalAgentStatus: 'present' }, 'request'],
    [{ request: 'add_on', originalAgentStatus: 'present', extra: true }, ''],
  ])('refuses %j at %j', (facts, path) => {
    expect(check(schema(), facts)).toBe(path);
  });
});

describe('commission.allocation facts', () => {
  const schema = () => engineOf(commissionAllocation).definition.facts(CONTEXT);
  const base = { pool: '100', handlers: ['wang'] };

  it.each(['lease', 'add_on', 'intent'])('accepts kind %s', (kind) => {
    expect(check(schema(), { ...base, kind })).toBe('ok');
  });

  it.each([
    [{ ...base, kind: '' }, 'kind'],
    [{ ...base, kind: 'sale' }, 'kind'],
    [{ ...base, kind: 'lease', pool: '-1' }, 'pool'],
    [{ ...base, kind: 'lease', pool: '1.001' }, 'pool'],
    [{ ...base, kind: 'lease', surprise: 1 }, ''],
  ])('refuses %j at %j', (facts, path) => {
    expect(check(schema(), facts)).toBe(path);
  });
});

describe('commission.protection facts', () => {
  const schema = () => engineOf(commissionProtection).definition.facts(CONTEXT);
  const base = { entries: [], on: '2026-03-01' };

  it('accepts a register question { agent, client }', () => {
    expect(check(schema(), { ...base, register: { agent: 'li', client: 'acme' } })).toBe('ok');
  });

  it.each([
    [{ ...base, register: { agent: 'li' } }, 'register.client'],
    [{ ...base, register: { agent: 'li', client: 'acme', on: '2026-03-02' } }, 'register'],
  ])('refuses %j at %j', (facts, path) => {
    expect(check(schema(), facts)).toBe(path);
  });
});

describe('commission.conduct facts', () => {
  const schema = () => engineOf(commissionConduct).definition.facts(CONTEXT);

  it('accepts every SPEC fact and refuses any other', () => {
    expect(check(schema(), { jointReception: true, newClientArrived: true, enoughStaffFree: false, splitOff: true, oldClientReturned: true, followingBoth: false })).toBe('ok');
    expect(check(schema(), { jointReception: true, splitoff: true })).toBe('');
  });
});
