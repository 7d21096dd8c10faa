import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import type { SqlDialect } from '../../src/sql/index.js';

// The databases the SQL tests run on: an in-memory DuckDB, and a PostgreSQL session when a server answers.

/** Whether this run is CI, where an unreachable PostgreSQL is a failure rather than a reason to skip. */
export const IN_CI = process.env['CI'] === 'true' || process.env['CI'] === '1';

/**
 * The database tests are heavy and do not depend on the machine's zone (no covered policy reads a
 * date, and every call passes `asOf`), so they run in one of the suite's three zone projects only.
 */
export const DATABASE_ZONE = process.env['TZ'] === 'UTC';

/** The connection `.ci/run` sets up; the same default works on a machine set up the same way. */
export const PG_URL = process.env['SALES_POLICIES_PG_URL'] ?? 'postgres://sales_policies:sales_policies@127.0.0.1:5432/sales_policies';

/** A database the harness loads facts into. */
export interface Database {
  readonly dialect: SqlDialect;
  /** Runs statements that return nothing. */
  readonly exec: (sql: string) => Promise<void>;
  /** Runs a query and returns its rows as plain JSON values (decimals as strings). */
  readonly rows: (sql: string) => Promise<Record<string, unknown>[]>;
  readonly close: () => Promise<void>;
}

/**
 * An in-memory DuckDB.
 *
 * @example
 * const db = await openDuckDb(); await db.rows('SELECT 1 AS one'); //=> [{ one: 1 }]
 */
export async function openDuckDb(): Promise<Database> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  return {
    dialect: 'duckdb',
    exec: async (sql) => {
      await connection.run(sql);
    },
    rows: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[],
    close: async () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * A PostgreSQL session, or `undefined` when none answers at {@link PG_URL}. The harness's tables
 * are temporary (private to the session), so concurrent test files never meet.
 *
 * @example
 * const db = await openPostgres(); if (db) await db.rows('SELECT 1 AS one');
 */
export async function openPostgres(): Promise<Database | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch {
    return undefined;
  }
  // Lists and JSON come back as text and are parsed here, so decimals inside keep their digits.
  const asText = (value: string) => value;
  return {
    dialect: 'postgres',
    exec: async (sql) => {
      await client.query(sql);
    },
    rows: async (sql) => {
      const result = await client.query({ text: sql, types: { getTypeParser: () => asText } as never });
      return result.rows.map((row: Record<string, unknown>) => {
        const out: Record<string, unknown> = {};
        for (const field of result.fields) out[field.name] = readPostgres(row[field.name] as string | null, field.dataTypeID);
        return out;
      });
    },
    close: async () => {
      await client.end();
    },
  };
}

const PG_TYPES = { bool: 16, int4: 23, int8: 20, text: 25, numeric: 1700, jsonb: 3802, textArray: 1009 } as const;

function readPostgres(value: string | null, type: number): unknown {
  if (value === null) return null;
  switch (type) {
    case PG_TYPES.bool:
      return value === 't';
    case PG_TYPES.int4:
      return Number(value);
    case PG_TYPES.textArray:
      return parseTextArray(value);
    case PG_TYPES.jsonb:
      // Amounts are JSON numbers written with two places: keep them as the strings they are.
      return JSON.parse(value.replace(/"amount": (-?[0-9]+\.[0-9]+)/g, '"amount": "$1"'));
    default:
      return value;
  }
}

/** PostgreSQL's text form of a one-dimensional text[]: `{a,"b c",NULL}`. */
function parseTextArray(text: string): (string | null)[] {
  const out: (string | null)[] = [];
  let i = 1;
  if (text === '{}') return out;
  while (i < text.length) {
    if (text[i] === '"') {
      let item = '';
      i++;
      while (text[i] !== '"') {
        if (text[i] === '\\') i++;
        item += text[i];
        i++;
      }
      out.push(item);
      i += 2;
    } else {
      const end = text.indexOf(',', i) === -1 ? text.length - 1 : text.indexOf(',', i);
      const item = text.slice(i, end);
      out.push(item === 'NULL' ? null : item);
      i = end + 1;
    }
  }
  return out;
}
