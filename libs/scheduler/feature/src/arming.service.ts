import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DecisionRepository } from './decision.repository';
import type { TimerEntity, TimerKind, TimerPayload } from './timer.entity';
import { TimerRepository } from './timer.repository';

export interface ArmRequest {
  profileId: string;
  definitionId: string;
  kind: TimerKind;
  dueAt: Date;
  payload: TimerPayload;
  /** The key of the request this timer would fire (kept when an armed timer is moved, unless given). */
  idempotencyKey: (timerId: string) => string;
  /** Why (recorded on the decision). */
  reason: string;
  now: Date;
  traceHeaders: Record<string, string>;
}

export type ArmResult = 'armed' | 'moved' | 'unchanged';

/**
 * Arms, moves and cancels timers with their decisions, for every trigger except the abandoned
 * cart (which has its own policy). Runs in the caller's transaction; the armed timer of a
 * (profile, definition) is row-locked while it is changed.
 */
@Injectable()
export class ArmingService {
  constructor(
    private readonly timers: TimerRepository,
    private readonly decisions: DecisionRepository,
  ) {}

  /** Arm a new timer, or move the armed one to `dueAt` (a no-op if it is already due then). */
  async armOrMove(manager: EntityManager, request: ArmRequest): Promise<ArmResult> {
    const armed = await this.timers.findArmedForUpdate(
      manager,
      request.profileId,
      request.definitionId,
    );
    if (armed) {
      const sameTime = armed.dueAt.getTime() === request.dueAt.getTime();
      const newKey = request.idempotencyKey(armed.id);
      if (sameTime && newKey === armed.idempotencyKey) return 'unchanged';
      await this.timers.reschedule(manager, armed.id, {
        dueAt: request.dueAt,
        payload: { ...armed.payload, ...request.payload, stoApplied: false },
        traceHeaders: request.traceHeaders,
        idempotencyKey: newKey,
        updatedAt: request.now,
      });
      await this.decisions.record(manager, {
        profileId: request.profileId,
        timerId: armed.id,
        kind: request.kind,
        definitionId: request.definitionId,
        decision: 'moved',
        reason: request.reason,
        at: request.now,
        dueAt: request.dueAt,
      });
      return 'moved';
    }
    const id = randomUUID();
    const timer: TimerEntity = {
      id,
      kind: request.kind,
      definitionId: request.definitionId,
      profileId: request.profileId,
      dueAt: request.dueAt,
      state: 'armed',
      payload: request.payload,
      traceHeaders: request.traceHeaders,
      idempotencyKey: request.idempotencyKey(id),
      createdAt: request.now,
      updatedAt: request.now,
      firedAt: null,
    };
    await this.timers.insert(manager, timer);
    await this.decisions.record(manager, {
      profileId: request.profileId,
      timerId: id,
      kind: request.kind,
      definitionId: request.definitionId,
      decision: 'armed',
      reason: request.reason,
      at: request.now,
      dueAt: request.dueAt,
    });
    return 'armed';
  }

  /** Cancel the armed timer of a (profile, definition), if any; returns whether there was one. */
  async cancel(
    manager: EntityManager,
    profileId: string,
    definitionId: string,
    reason: string,
    now: Date,
  ): Promise<boolean> {
    const armed = await this.timers.findArmedForUpdate(manager, profileId, definitionId);
    if (!armed) return false;
    await this.timers.setState(manager, armed.id, 'cancelled', now);
    await this.decisions.record(manager, {
      profileId,
      timerId: armed.id,
      kind: armed.kind,
      definitionId,
      decision: 'cancelled',
      reason,
      at: now,
    });
    return true;
  }

  async hasArmed(
    manager: EntityManager,
    profileId: string,
    definitionId: string,
  ): Promise<boolean> {
    return (await this.timers.findArmedForUpdate(manager, profileId, definitionId)) !== null;
  }
}
