import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { MessageOutcome } from '@kairos/contracts';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import type { EntityManager } from 'typeorm';
import { DecisionEntity, type DecisionKind } from './decision.entity';
import type { TimerKind } from './timer.entity';

export interface NewDecision {
  profileId: string;
  timerId: string | null;
  kind: TimerKind;
  /** The trigger definition; defaults to the kind (the built-ins' ids are their kinds). */
  definitionId?: string;
  decision: DecisionKind;
  reason: string | null;
  at: Date;
  /** For armed/moved/deferred: the new due time. */
  dueAt?: Date | null;
}

/** The decision ledger. Rows are only ever added, except the outcome of a 'fired' row. */
@Injectable()
export class DecisionRepository {
  async record(manager: EntityManager, decision: NewDecision): Promise<void> {
    await manager.getRepository(DecisionEntity).insert({
      id: randomUUID(),
      ...decision,
      definitionId: decision.definitionId ?? decision.kind,
      dueAt: decision.dueAt ?? null,
      outcome: null,
      outcomeReason: null,
      outcomeAt: null,
    });
  }

  /** Several decisions in one statement (the dispatcher's batch); ledger order = array order. */
  async recordMany(manager: EntityManager, decisions: NewDecision[]): Promise<void> {
    if (decisions.length === 0) return;
    const table = qualifiedTable(dataSourceSchema(manager.connection), 'decisions');
    const COLUMNS = 9;
    for (let start = 0; start < decisions.length; start += 1000) {
      const chunk = decisions.slice(start, start + 1000);
      const params: unknown[] = [];
      const tuples = chunk.map((d, i) => {
        params.push(
          randomUUID(),
          d.profileId,
          d.timerId,
          d.kind,
          d.definitionId ?? d.kind,
          d.decision,
          d.reason,
          d.at,
          d.dueAt ?? null,
        );
        const p = i * COLUMNS;
        return `(${Array.from({ length: COLUMNS }, (_, c) => `$${p + c + 1}`).join(', ')})`;
      });
      await manager.query(
        `INSERT INTO ${table} (id, profile_id, timer_id, kind, definition_id, decision, reason, at, due_at)
         VALUES ${tuples.join(', ')}`,
        params,
      );
    }
  }

  /** Record what the renderer did with the request a timer fired; returns whether a row matched. */
  async recordOutcome(
    manager: EntityManager,
    timerId: string,
    outcome: { status: MessageOutcome['status']; reason: string | null; at: Date },
  ): Promise<boolean> {
    const result = await manager
      .getRepository(DecisionEntity)
      .update(
        { timerId, decision: 'fired' },
        { outcome: outcome.status, outcomeReason: outcome.reason, outcomeAt: outcome.at },
      );
    return (result.affected ?? 0) > 0;
  }

  async listByProfile(
    manager: EntityManager,
    profileId: string,
    limit = 500,
  ): Promise<DecisionEntity[]> {
    return manager.getRepository(DecisionEntity).find({
      where: { profileId },
      order: { at: 'ASC', seq: 'ASC' },
      take: limit,
    });
  }
}
