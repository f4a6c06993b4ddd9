/**
 * Consumers are idempotent (at-least-once delivery): each event is handled once per consumer,
 * keyed by its event id. `claim` records the id and says whether it was new; it must run in
 * the same transaction as the handler's own writes, so "handled" and "recorded" commit or roll
 * back together (the persistence library's ProcessedEvents does that in Postgres; a Redis
 * SET NX works for handlers whose only effect is idempotent anyway).
 */
export type HandleOnceResult<T> = { outcome: 'handled'; result: T } | { outcome: 'duplicate' };

export async function handleOnce<T>(
  claim: () => Promise<boolean>,
  handler: () => Promise<T>,
): Promise<HandleOnceResult<T>> {
  if (!(await claim())) return { outcome: 'duplicate' };
  return { outcome: 'handled', result: await handler() };
}
