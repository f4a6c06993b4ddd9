import { Injectable } from '@nestjs/common';
import type { MessageOutcome } from '@kairos/contracts';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import type { EntityManager } from 'typeorm';
import { In, MoreThan } from 'typeorm';
import type { LedgerSend } from './domain/frequency-cap';
import { FiringEntity } from './firing.entity';

/** The firings ledger (one row per message request). */
@Injectable()
export class FiringRepository {
  /**
   * Record several firings at once; returns the idempotency keys actually inserted. A key that
   * is missing from the answer had already fired: its timer must not send a request.
   */
  async insertMany(manager: EntityManager, firings: FiringEntity[]): Promise<Set<string>> {
    const inserted = new Set<string>();
    if (firings.length === 0) return inserted;
    const table = qualifiedTable(dataSourceSchema(manager.connection), 'firings');
    const COLUMNS = 11;
    for (let start = 0; start < firings.length; start += 1000) {
      const chunk = firings.slice(start, start + 1000);
      const params: unknown[] = [];
      const tuples = chunk.map((f, i) => {
        params.push(
          f.idempotencyKey,
          f.requestId,
          f.timerId,
          f.profileId,
          f.definitionId,
          f.kind,
          f.category,
          f.priority,
          f.firedAt,
          f.status,
          f.outcomeAt,
        );
        const p = i * COLUMNS;
        return `(${Array.from({ length: COLUMNS }, (_, c) => `$${p + c + 1}`).join(', ')})`;
      });
      const rows = await manager.query<{ idempotency_key: string }[]>(
        `INSERT INTO ${table} (idempotency_key, request_id, timer_id, profile_id, definition_id, kind, category, priority, fired_at, status, outcome_at)
         VALUES ${tuples.join(', ')}
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
        params,
      );
      for (const row of rows) inserted.add(row.idempotency_key);
    }
    return inserted;
  }

  /** The send ledger of some profiles since `since`, as the guards read it. */
  async ledgerOf(
    manager: EntityManager,
    profileIds: string[],
    since: Date,
  ): Promise<Map<string, LedgerSend[]>> {
    const out = new Map<string, LedgerSend[]>();
    if (profileIds.length === 0) return out;
    const rows = await manager
      .getRepository(FiringEntity)
      .findBy({ profileId: In(profileIds), firedAt: MoreThan(since) });
    for (const row of rows) {
      const list = out.get(row.profileId) ?? [];
      list.push(toLedgerSend(row));
      out.set(row.profileId, list);
    }
    return out;
  }

  async exists(manager: EntityManager, idempotencyKey: string): Promise<boolean> {
    return manager.getRepository(FiringEntity).existsBy({ idempotencyKey });
  }

  /** When a definition last fired for a person (for cooldowns), or null. */
  async lastFiredAt(
    manager: EntityManager,
    profileId: string,
    definitionId: string,
  ): Promise<Date | null> {
    const row = await manager.getRepository(FiringEntity).findOne({
      where: { profileId, definitionId },
      order: { firedAt: 'DESC' },
    });
    return row?.firedAt ?? null;
  }

  /**
   * Apply a renderer outcome; returns the firing (for its timer id) or null for a request this
   * scheduler did not make.
   */
  async recordOutcome(
    manager: EntityManager,
    idempotencyKey: string,
    status: MessageOutcome['status'],
    at: Date,
  ): Promise<FiringEntity | null> {
    const repo = manager.getRepository(FiringEntity);
    const firing = await repo.findOneBy({ idempotencyKey });
    if (!firing) return null;
    await repo.update({ idempotencyKey }, { status, outcomeAt: at });
    return firing;
  }
}

export function toLedgerSend(row: FiringEntity): LedgerSend {
  return {
    definitionId: row.definitionId,
    category: row.category,
    priority: row.priority,
    // The scheduler's own clock (the renderer's outcome time comes from another clock).
    at: row.firedAt,
    status: row.status,
  };
}
