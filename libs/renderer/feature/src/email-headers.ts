import { createHash } from 'node:crypto';

/** The domain of a From header ("Name <a@b.c>" or "a@b.c"); kairos.local if none can be read. */
export function senderDomain(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from.trim());
  return match ? match[1].toLowerCase() : 'kairos.local';
}

/**
 * A Message-ID derived from the idempotency key: every attempt at one message carries the same
 * id, so even if a retry ever did reach a mailbox twice, clients and the ESP can fold the copies.
 * The key is hashed, because it contains the profile id and Message-IDs are visible to recipients.
 */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
  return `<${digest}@${senderDomain(from)}>`;
}

/** The link that unsubscribes the recipient of one delivery (the delivery id is unguessable). */
export function unsubscribeUrl(publicBaseUrl: string, deliveryId: string): string {
  return `${publicBaseUrl}/unsubscribe/${encodeURIComponent(deliveryId)}`;
}

/** RFC 2369 List-Unsubscribe with RFC 8058 one-click, as Gmail and Yahoo require of bulk senders. */
export function listUnsubscribeHeaders(url: string): Record<string, string> {
  return {
    'List-Unsubscribe': `<${url}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
