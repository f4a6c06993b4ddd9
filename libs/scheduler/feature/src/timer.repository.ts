import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TimerEntity, type TimerKind, type TimerPayload, type TimerState } from './timer.entity';

/** Timers in Postgres. Every method runs on the caller's EntityManager (its transaction). */
@Injectable()
export class TimerRepository {
  /**
   * The armed timer of a profile and kind, row-locked until the transaction ends, so a
   * concurrent firing and a concurrent move of the same timer take turns. (If the dispatcher
   * fires it meanwhile, Postgres re-checks `state = 'armed'` after the wait and returns nothing.)
   */
  async findArmedForUpdate(
    manager: EntityManager,
    profileId: string,
    kind: TimerKind,
  ): Promise<TimerEntity | null> {
    return manager
      .getRepository(TimerEntity)
      .createQueryBuilder('t')
      .where('t.profileId = :profileId AND t.kind = :kind AND t.state = :state', {
        profileId,
        kind,
        state: 'armed',
      })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** All armed timers of a profile, row-locked (for erasure). */
  async findAllArmedForUpdate(manager: EntityManager, profileId: string): Promise<TimerEntity[]> {
    return manager
      .getRepository(TimerEntity)
      .createQueryBuilder('t')
      .where('t.profileId = :profileId AND t.state = :state', { profileId, state: 'armed' })
      .setLock('pessimistic_write')
      .getMany();
  }

  /**
   * Lock up to `limit` armed timers due at `now`, oldest first. SKIP LOCKED: timers another
   * dispatcher (replica) is firing right now are skipped, not waited for, so replicas share the
   * work and never fire one timer twice. The locks last until commit; a crash before commit
   * releases them with the timers still armed, to be fired by the next poll.
   */
  async lockDue(manager: EntityManager, now: Date, limit: number): Promise<TimerEntity[]> {
    return manager
      .getRepository(TimerEntity)
      .createQueryBuilder('t')
      .where('t.state = :state AND t.dueAt <= :now', { state: 'armed', now })
      .orderBy('t.dueAt', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  async insert(manager: EntityManager, timer: TimerEntity): Promise<void> {
    await manager.getRepository(TimerEntity).insert(timer);
  }

  async reschedule(
    manager: EntityManager,
    id: string,
    change: {
      dueAt: Date;
      payload: TimerPayload;
      traceHeaders: Record<string, string>;
      updatedAt: Date;
    },
  ): Promise<void> {
    await manager.getRepository(TimerEntity).update({ id }, change);
  }

  async setState(
    manager: EntityManager,
    id: string,
    state: Exclude<TimerState, 'armed'>,
    at: Date,
  ): Promise<void> {
    await manager
      .getRepository(TimerEntity)
      .update(
        { id },
        state === 'fired' ? { state, updatedAt: at, firedAt: at } : { state, updatedAt: at },
      );
  }

  async findByIdempotencyKey(
    manager: EntityManager,
    idempotencyKey: string,
  ): Promise<TimerEntity | null> {
    return manager.getRepository(TimerEntity).findOneBy({ idempotencyKey });
  }
}
