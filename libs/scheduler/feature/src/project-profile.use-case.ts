import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import type { ProfileChanged } from '@kairos/contracts';
import { currentTraceHeaders } from '@kairos/messaging';
import { DataSource } from 'typeorm';
import { DecisionRepository } from './decision.repository';
import { ProfileActivityRepository } from './profile-activity.repository';
import { ProfileProjectionRepository } from './profile-projection.repository';
import { TimerRepository } from './timer.repository';
import { TriggerPlanner } from './trigger-planner.service';

const D = 86_400_000;

/**
 * Keeps the scheduler's profile projection current and reacts to what changed:
 *
 *  - birthday or time zone changed (or first seen) → the birthday timer is (re)scheduled;
 *  - email consent became 'subscribed' → the welcome starts. A profile seen for the first time
 *    as subscribed counts only if it is brand new (version 1, changed within a day): rebuilding
 *    the projection from the compacted topic must not welcome everyone again.
 *
 * Idempotent without an inbox claim: a version is applied only if newer than the one held, so
 * redeliveries and reordering are no-ops (and so are their reactions).
 */
@Injectable()
export class ProjectProfileUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly profiles: ProfileProjectionRepository,
    private readonly activity: ProfileActivityRepository,
    private readonly timers: TimerRepository,
    private readonly decisions: DecisionRepository,
    private readonly planner: TriggerPlanner,
  ) {}

  async apply(profile: ProfileChanged): Promise<'applied' | 'stale'> {
    const now = this.clock.now();
    const ctx = { now, traceHeaders: currentTraceHeaders() };
    return this.dataSource.transaction(async (manager) => {
      // Activity first: the lock order of everything that touches timers (activity → timers).
      const activity = await this.activity.lock(manager, profile.profileId, now);
      const previous = (await this.profiles.findMany(manager, [profile.profileId])).get(
        profile.profileId,
      );
      const updatedAt = new Date(profile.updatedAt);
      const applied = await this.profiles.upsertIfNewer(manager, {
        profileId: profile.profileId,
        version: profile.version,
        emailPresent: Boolean(profile.email),
        emailConsent: profile.emailConsent,
        timezone: profile.timezone,
        birthday: profile.birthday,
        updatedAt,
      });
      if (!applied) return 'stale';

      if (
        !previous ||
        previous.birthday !== profile.birthday ||
        previous.timezone !== profile.timezone
      ) {
        const hadOne = Boolean(previous?.birthday);
        if (profile.birthday || hadOne)
          await this.planner.planBirthday(
            manager,
            profile.profileId,
            profile,
            ctx,
            previous ? 'birthday or time zone changed' : 'birthday known',
          );
      }

      const becameSubscribed =
        profile.emailConsent === 'subscribed' &&
        (previous
          ? previous.emailConsent !== 'subscribed'
          : profile.version === 1 && Math.abs(now.getTime() - updatedAt.getTime()) <= D);
      if (becameSubscribed) {
        const subscribedAt = updatedAt.getTime() > now.getTime() ? now : updatedAt;
        activity.subscribedAt = subscribedAt;
        activity.updatedAt = now;
        await this.activity.save(manager, activity);
        await this.planner.planWelcome(
          manager,
          profile.profileId,
          subscribedAt,
          ctx,
          'email consent changed to subscribed',
        );
      }
      return 'applied';
    });
  }

  /**
   * A tombstone on the compacted profile topic: the person was erased. Forget them and cancel
   * whatever was going to be sent to them. Repeating it is harmless.
   */
  async erase(profileId: string): Promise<number> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      await this.activity.lock(manager, profileId, now);
      const armed = await this.timers.findAllArmedForUpdate(manager, profileId);
      for (const timer of armed) {
        await this.timers.setState(manager, timer.id, 'cancelled', now);
        await this.decisions.record(manager, {
          profileId,
          timerId: timer.id,
          kind: timer.kind,
          definitionId: timer.definitionId,
          decision: 'cancelled',
          reason: 'profile erased',
          at: now,
        });
      }
      await this.profiles.delete(manager, profileId);
      await this.activity.delete(manager, profileId);
      return armed.length;
    });
  }
}
