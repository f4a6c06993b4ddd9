import { Inject, Injectable } from '@nestjs/common';
import type { MessageOutcome } from '@kairos/contracts';
import { DataSource } from 'typeorm';
import { DecisionRepository } from './decision.repository';
import { FiringRepository } from './firing.repository';

/**
 * Writes what happened to a fired request (sent, held, failed, suppressed) onto the send ledger
 * (firings: the caps count only what was requested or sent) and onto the timer's 'fired'
 * decision. Idempotent: it sets the outcome, so a redelivery writes the same values.
 */
@Injectable()
export class RecordOutcomeUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly firings: FiringRepository,
    private readonly decisions: DecisionRepository,
  ) {}

  async execute(outcome: MessageOutcome): Promise<'recorded' | 'unknown-request'> {
    return this.dataSource.transaction(async (manager) => {
      const at = new Date(outcome.at);
      const firing = await this.firings.recordOutcome(
        manager,
        outcome.idempotencyKey,
        outcome.status,
        at,
      );
      if (!firing) return 'unknown-request';
      await this.decisions.recordOutcome(manager, firing.timerId, {
        status: outcome.status,
        reason: outcome.reason ?? null,
        at,
      });
      return 'recorded';
    });
  }
}
