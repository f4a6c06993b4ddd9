import { randomBytes } from 'node:crypto';

/**
 * A name no other test (or earlier run) uses: for topic namespaces, consumer groups, Postgres
 * schemas and Redis prefixes. Lower-case letters, digits and '_' only, so it is valid everywhere.
 */
export function uniqueName(prefix = 't'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}
