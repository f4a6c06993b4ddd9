import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import type { ProfileChanged } from '@kairos/contracts';
import { DataSource } from 'typeorm';
import { DecisionRepository } from './decision.repository';
import { ProfileProjectionRepository } from './profile-projection.repository';
import { TimerRepository } from './timer.repository';

/**
 * Keeps the scheduler's profile projection current. Idempotent without an inbox claim: a
 * version is applied only if newer than the one held, so redeliveries and reordering are no-ops.
 */
@Injectable()
export class ProjectProfileUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly profiles: ProfileProjectionRepository,
    private readonly timers: TimerRepository,
    private readonly decisions: DecisionRepository,
  ) {}

  async apply(profile: ProfileChanged): Promise<'applied' | 'stale'> {
    const applied = await this.dataSource.transaction((manager) =>
      this.profiles.upsertIfNewer(manager, {
        profileId: profile.profileId,
        version: profile.version,
        emailPresent: Boolean(profile.email),
        emailConsent: profile.emailConsent,
        timezone: profile.timezone,
        birthday: profile.birthday,
        updatedAt: new Date(profile.updatedAt),
      }),
    );
    return applied ? 'applied' : 'stale';
  }

  /**
   * A tombstone on the compacted profile topic: the person was erased. Forget them and cancel
   * whatever was going to be sent to them. Repeating it is harmless.
   */
  async erase(profileId: string): Promise<number> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      await this.profiles.delete(manager, profileId);
      const armed = await this.timers.findAllArmedForUpdate(manager, profileId);
      for (const timer of armed) {
        await this.timers.setState(manager, timer.id, 'cancelled', now);
        await this.decisions.record(manager, {
          profileId,
          timerId: timer.id,
          kind: timer.kind,
          decision: 'cancelled',
          reason: 'profile erased',
          at: now,
        });
      }
      return armed.length;
    });
  }
}
