import type { EntityManager } from 'typeorm';

/**
 * Outbox rows and processed-event claims are only correct when they commit or roll back
 * together with the caller's own writes. Outside a transaction each statement would commit
 * on its own (the "save() then send()" bug the outbox exists to prevent), so refuse.
 */
export function assertInTransaction(manager: EntityManager, what: string): void {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(
      `${what} must run inside the caller's transaction: pass the EntityManager that ` +
        'dataSource.transaction(async (manager) => ...) hands you',
    );
  }
}
