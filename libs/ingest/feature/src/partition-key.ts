import { createHash } from 'node:crypto';

/**
 * The Kafka key of an accepted event: a stable digest of the identity it is about
 * (userId, else anonymousId), so one identity's events stay in order on one partition.
 *
 * Not the raw id: the kafkajs instrumentation records message keys as span attributes, and
 * userIds are often email addresses — no PII in traces. 128 bits of SHA-256 keep collisions
 * (which would only co-locate two identities on one partition) practically impossible.
 */
export function partitionKey(identity: string): string {
  return createHash('sha256').update(identity, 'utf8').digest('hex').slice(0, 32);
}
