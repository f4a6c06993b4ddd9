import { Client } from 'pg';
import { testStack } from './stack';

/** Run one query against the local stack's database (for assertions and clean-up). */
export async function pgQuery<T extends Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: testStack.postgresUrl });
  await client.connect();
  try {
    const result = await client.query(sql, params);
    return result.rows as T[];
  } finally {
    await client.end();
  }
}

/** Drop a test's schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new Error(`refusing to drop odd schema name ${schema}`);
  await pgQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
