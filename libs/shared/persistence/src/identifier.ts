/**
 * Schema names end up inside SQL text (DDL and qualified table names cannot be bind
 * parameters), so they are checked against a deliberately narrow shape before use: lower-case
 * letters, digits and '_', starting with a letter or '_', at most 63 bytes (Postgres' limit,
 * beyond which it silently truncates). The same shape the config library accepts for
 * KAIROS_PG_SCHEMA and `uniqueName()` produces for tests.
 */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function isSqlIdentifier(name: unknown): name is string {
  return typeof name === 'string' && IDENTIFIER.test(name);
}

/** Throws unless `name` is a plain lower-case SQL identifier; returns it for chaining. */
export function assertSqlIdentifier(name: unknown, what = 'identifier'): string {
  if (!isSqlIdentifier(name)) {
    throw new Error(
      `Invalid ${what} ${JSON.stringify(name)}: use lower-case letters, digits and "_", ` +
        'starting with a letter or "_", at most 63 characters',
    );
  }
  return name;
}

/** `"name"`, after validation; the quotes keep reserved words (e.g. "user") usable. */
export function quoteIdent(name: string, what = 'identifier'): string {
  return `"${assertSqlIdentifier(name, what)}"`;
}

/** `"schema"."table"`, both validated. */
export function qualifiedTable(schema: string, table: string): string {
  return `${quoteIdent(schema, 'schema')}.${quoteIdent(table, 'table name')}`;
}
