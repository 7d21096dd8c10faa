import type { FactDomain } from './domains.js';
import type { Dialect } from './dialect.js';
import type { FactReader } from './facts.js';
import { decimalFact, enumFact, flagFact, identifierFact } from './facts.js';
import { identifierListFact, objectFact } from './fact-structures.js';

/**
 * The reader of each input fact, from its domain: how it is read from its column, checked as
 * `evaluate` checks it and normalised. `integerDigits` bounds decimals whose values an outcome's
 * SQL type must hold (see `SqlOutcome`).
 *
 * @example
 * Object.keys(readersOf(factDomains(engine, spec, context), dialect, 100000)); //=> ['amount', 'channel', …]
 */
export function readersOf(domains: readonly FactDomain[], dialect: Dialect, maxItems: number, integerDigits: Readonly<Record<string, number>> = {}): Record<string, FactReader> {
  return Object.fromEntries(domains.map((domain) => [domain.name, readerOf(domain, dialect, maxItems, integerDigits[domain.name])]));
}

function readerOf(domain: FactDomain, dialect: Dialect, maxItems: number, maxIntegerDigits: number | undefined): FactReader {
  switch (domain.kind) {
    case 'boolean':
      return flagFact(dialect, domain.name, domain.default);
    case 'enum':
      return enumFact(dialect, domain.name, domain.values, domain.required);
    case 'identifier':
      return identifierFact(dialect, domain.name, { required: domain.required, nullable: domain.nullable });
    case 'decimal':
      return decimalFact(dialect, domain.name, {
        nonNegative: domain.nonNegative,
        ...(domain.maxPlaces === undefined ? {} : { maxPlaces: domain.maxPlaces }),
        ...(maxIntegerDigits === undefined ? {} : { maxIntegerDigits }),
      });
    case 'list':
      return identifierListFact(dialect, domain.name, { required: domain.required, maxItems });
    case 'object':
      return objectFact(dialect, domain.name, domain.members);
  }
}
