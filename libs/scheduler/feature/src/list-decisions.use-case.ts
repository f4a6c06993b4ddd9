import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DecisionRepository } from './decision.repository';
import type { DecisionView } from './dto/decision.dto';

/** The decision ledger of one profile, oldest first, for the admin API. */
@Injectable()
export class ListDecisionsUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly decisions: DecisionRepository,
  ) {}

  async execute(profileId: string): Promise<DecisionView[]> {
    const rows = await this.decisions.listByProfile(this.dataSource.manager, profileId);
    return rows.map((row) => ({
      id: row.id,
      profileId: row.profileId,
      timerId: row.timerId,
      kind: row.kind,
      definitionId: row.definitionId,
      decision: row.decision,
      reason: row.reason,
      at: row.at.toISOString(),
      dueAt: row.dueAt ? row.dueAt.toISOString() : null,
      outcome: row.outcome,
      outcomeReason: row.outcomeReason,
      outcomeAt: row.outcomeAt ? row.outcomeAt.toISOString() : null,
    }));
  }
}
