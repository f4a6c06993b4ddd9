import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ArmingService } from './arming.service';
import { birthdayIdempotencyKey, nextBirthday, parseBirthday } from './domain/birthday';
import { numberParam, stringParam } from './domain/definition-params';
import { wantsReEngagement } from './domain/engagement';
import { localParts, parseClockTime, resolveTimeZone } from './domain/local-time';
import { FiringRepository } from './firing.repository';
import type { ProfileActivityEntity } from './profile-activity.entity';
import { SCHEDULER_CONFIG, type SchedulerConfig } from './scheduler.config';
import { TriggerDefinitionRepository } from './trigger-definition.repository';

const D = 86_400_000;

export interface PlanContext {
  now: Date;
  traceHeaders: Record<string, string>;
}

/**
 * When the built-in triggers other than the abandoned cart are armed, moved or cancelled. Runs
 * in the caller's transaction, after the caller has locked the person's activity row (lock
 * order: activity → timers). Definitions are read fresh, so a disabled trigger arms nothing.
 */
@Injectable()
export class TriggerPlanner {
  constructor(
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
    private readonly definitions: TriggerDefinitionRepository,
    private readonly firings: FiringRepository,
    private readonly arming: ArmingService,
  ) {}

  /**
   * (Re)schedule the birthday timer: the next 09:00 local on the birthday (the definition's
   * `localTime`) whose year has not been sent (or, `doneYear`, just suppressed) yet. Called when the birthday or time zone
   * changes and after a birthday timer is done (fired or suppressed), for next year.
   */
  async planBirthday(
    manager: EntityManager,
    profileId: string,
    profile: { birthday: string | null; timezone: string | null },
    ctx: PlanContext,
    reason: string,
    doneYear?: number,
  ): Promise<void> {
    const definition = await this.definitions.findById(manager, 'birthday');
    const birthday = parseBirthday(profile.birthday);
    if (!definition || !definition.enabled || !birthday) {
      const why = !birthday ? 'no birthday' : 'birthday trigger disabled';
      await this.arming.cancel(manager, profileId, 'birthday', why, ctx.now);
      return;
    }
    const zone = resolveTimeZone(profile.timezone, this.config.defaultTimeZone);
    const atMinute = parseClockTime(stringParam(definition.params, 'localTime', '09:00')) ?? 540;
    const thisYear = localParts(ctx.now, zone).year;
    // Years already sent, plus the year just finished (fired or suppressed): once per year.
    const sent = new Set<number>(doneYear === undefined ? [] : [doneYear]);
    for (const year of [thisYear - 1, thisYear, thisYear + 1]) {
      if (await this.firings.exists(manager, birthdayIdempotencyKey(profileId, year)))
        sent.add(year);
    }
    const next = nextBirthday(birthday, zone, ctx.now, atMinute, sent);
    await this.arming.armOrMove(manager, {
      profileId,
      definitionId: 'birthday',
      kind: 'birthday',
      dueAt: next.at,
      payload: { year: next.year },
      idempotencyKey: () => birthdayIdempotencyKey(profileId, next.year),
      reason,
      ...ctx,
    });
  }

  /**
   * Start the welcome on a subscription (unless one is armed, or one was sent within the
   * definition's `cooldownDays`, default 365: re-subscribing the next week is no new welcome).
   */
  async planWelcome(
    manager: EntityManager,
    profileId: string,
    subscribedAt: Date,
    ctx: PlanContext,
    reason: string,
  ): Promise<void> {
    const definition = await this.definitions.findById(manager, 'welcome');
    if (!definition || !definition.enabled) return;
    if (await this.arming.hasArmed(manager, profileId, 'welcome')) return;
    const last = await this.firings.lastFiredAt(manager, profileId, 'welcome');
    const cooldown = numberParam(definition.params, 'cooldownDays', 365) * D;
    if (last && ctx.now.getTime() - last.getTime() < cooldown) return;
    await this.arming.armOrMove(manager, {
      profileId,
      definitionId: 'welcome',
      kind: 'welcome',
      dueAt: new Date(ctx.now.getTime() + numberParam(definition.params, 'delayMs', 0)),
      payload: { subscribedAt: subscribedAt.toISOString() },
      idempotencyKey: (timerId) => `welcome:${profileId}:${timerId}`,
      reason,
      ...ctx,
    });
  }

  /**
   * Re-engagement: ≥ minVisits visits in windowDays without a purchase arms the timer (fires
   * after `delayMs` unless a purchase cancels it), once per `cooldownDays`.
   */
  async planReEngagement(
    manager: EntityManager,
    activity: ProfileActivityEntity,
    ctx: PlanContext,
  ): Promise<void> {
    const definition = await this.definitions.findById(manager, 're_engagement');
    if (!definition || !definition.enabled) return;
    const p = definition.params;
    const windowMs = numberParam(p, 'windowDays', 7) * D;
    const minVisits = numberParam(p, 'minVisits', 3);
    if (!wantsReEngagement(activity.visits, activity.lastPurchaseAt, ctx.now, minVisits, windowMs))
      return;
    if (await this.arming.hasArmed(manager, activity.profileId, 're_engagement')) return;
    const last = await this.firings.lastFiredAt(manager, activity.profileId, 're_engagement');
    if (last && ctx.now.getTime() - last.getTime() < numberParam(p, 'cooldownDays', 30) * D) return;
    await this.arming.armOrMove(manager, {
      profileId: activity.profileId,
      definitionId: 're_engagement',
      kind: 're_engagement',
      dueAt: new Date(ctx.now.getTime() + numberParam(p, 'delayMs', D)),
      payload: { visits: activity.visits.length },
      idempotencyKey: (timerId) => `re_engagement:${activity.profileId}:${timerId}`,
      reason: `${activity.visits.length} visits in ${numberParam(p, 'windowDays', 7)} days without a purchase`,
      ...ctx,
    });
  }

  /** Dormant: re-armed at every open, due `afterDays` (60) after it. */
  async planDormant(
    manager: EntityManager,
    profileId: string,
    lastOpenAt: Date,
    ctx: PlanContext,
  ): Promise<void> {
    const definition = await this.definitions.findById(manager, 'dormant');
    if (!definition || !definition.enabled) return;
    await this.arming.armOrMove(manager, {
      profileId,
      definitionId: 'dormant',
      kind: 're_engagement',
      dueAt: new Date(lastOpenAt.getTime() + numberParam(definition.params, 'afterDays', 60) * D),
      payload: { lastOpenAt: lastOpenAt.toISOString() },
      idempotencyKey: (timerId) => `dormant:${profileId}:${timerId}`,
      reason: 'Email Opened',
      ...ctx,
    });
  }
}
