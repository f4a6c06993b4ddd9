import { RetriableError } from '@kairos/messaging';

/** Transaction attempts in-process before giving up (a Kafka handler is then retried later). */
export const MAX_TX_ATTEMPTS = 3;

/**
 * Postgres errors a fresh transaction can get past: serialization failure, deadlock, and the
 * unique/foreign-key violations two resolvers racing on the same identifiers can run into.
 */
const CONFLICT_SQLSTATES = new Set(['40001', '40P01', '23505', '23503']);

/** Another transaction changed the identifiers this one relies on; start over. */
export class IdentityConflict extends Error {}

/** Run `attempt` (one whole transaction) again on a conflict, up to MAX_TX_ATTEMPTS times. */
export async function withConflictRetry<T>(label: string, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConflict(error)) throw error;
      if (n >= MAX_TX_ATTEMPTS)
        throw new RetriableError(
          'IDENTITY_CONFLICT',
          `${label}: concurrent identity changes, ${n} attempts`,
        );
    }
  }
}

export function isConflict(error: unknown): boolean {
  if (error instanceof IdentityConflict) return true;
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' && CONFLICT_SQLSTATES.has(code);
}
