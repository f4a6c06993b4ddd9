import { Inject, Injectable } from '@nestjs/common';
import type { MessageOutcome } from '@kairos/contracts';
import { DataSource } from 'typeorm';
import { DecisionRepository } from './decision.repository';
import { TimerRepository } from './timer.repository';

/**
 * Writes what happened to a fired timer's message (sent, held, failed, suppressed) onto its
 * 'fired' ledger row. Idempotent: it sets the outcome, so a redelivery writes the same values.
 */
@Injectable()
export class RecordOutcomeUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly timers: TimerRepository,
    private readonly decisions: DecisionRepository,
  ) {}

  async execute(outcome: MessageOutcome): Promise<'recorded' | 'unknown-request'> {
    return this.dataSource.transaction(async (manager) => {
      const timer = await this.timers.findByIdempotencyKey(manager, outcome.idempotencyKey);
      if (!timer) return 'unknown-request';
      const matched = await this.decisions.recordOutcome(manager, timer.id, {
        status: outcome.status,
        reason: outcome.reason ?? null,
        at: new Date(outcome.at),
      });
      return matched ? 'recorded' : 'unknown-request';
    });
  }
}
