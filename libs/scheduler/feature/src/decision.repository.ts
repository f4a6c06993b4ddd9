import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { MessageOutcome } from '@kairos/contracts';
import type { EntityManager } from 'typeorm';
import { DecisionEntity, type DecisionKind } from './decision.entity';
import type { TimerKind } from './timer.entity';

export interface NewDecision {
  profileId: string;
  timerId: string | null;
  kind: TimerKind;
  decision: DecisionKind;
  reason: string | null;
  at: Date;
}

/** The decision ledger. Rows are only ever added, except the outcome of a 'fired' row. */
@Injectable()
export class DecisionRepository {
  async record(manager: EntityManager, decision: NewDecision): Promise<void> {
    await manager.getRepository(DecisionEntity).insert({
      id: randomUUID(),
      ...decision,
      outcome: null,
      outcomeReason: null,
      outcomeAt: null,
    });
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
