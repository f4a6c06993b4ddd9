import { Injectable } from '@nestjs/common';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { TimerEntity, type TimerPayload, type TimerState } from './timer.entity';

/** A timer as the claim step returns it (the firing step re-reads it under lock). */
export interface ClaimedTimer {
  id: string;
  profileId: string;
}

/** Timers in Postgres. Every method runs on the caller's EntityManager (its transaction). */
@Injectable()
export class TimerRepository {
  /**
   * The armed timer of a profile and definition, row-locked until the transaction ends, so a
   * concurrent firing and a concurrent move of the same timer take turns. (If the dispatcher
   * fires it meanwhile, Postgres re-checks `state = 'armed'` after the wait and returns nothing.)
   */
  async findArmedForUpdate(
    manager: EntityManager,
    profileId: string,
    definitionId: string,
  ): Promise<TimerEntity | null> {
    return manager
      .getRepository(TimerEntity)
      .createQueryBuilder('t')
      .where('t.profileId = :profileId AND t.definitionId = :definitionId AND t.state = :state', {
        profileId,
        definitionId,
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

  /** Armed timers of some profiles (not locked): the campaigns that may compete in an overlap. */
  async findArmedOf(manager: EntityManager, profileIds: string[]): Promise<TimerEntity[]> {
    if (profileIds.length === 0) return [];
    return manager.getRepository(TimerEntity).findBy({ profileId: In(profileIds), state: 'armed' });
  }

  /**
   * Claim up to `limit` armed timers that are due at `now` and not leased by anyone (or whose
   * lease expired): one short statement, committed at once. SKIP LOCKED: rows another
   * dispatcher is claiming or firing right now are skipped, not waited for, so replicas share
   * the work. The claim only marks the rows; the firing happens in a later transaction that
   * checks the lease is still ours. A dispatcher that dies after claiming leaves rows that are
   * claimable again once `lease_until` has passed.
   */
  async claimDue(
    manager: EntityManager,
    now: Date,
    leaseUntil: Date,
    owner: string,
    limit: number,
  ): Promise<ClaimedTimer[]> {
    const table = qualifiedTable(dataSourceSchema(manager.connection), 'timers');
    // Wrapped in a CTE so the driver returns the rows (for a bare UPDATE, TypeORM returns
    // [rows, count]). Only ids come back: the firing transaction re-reads the rows under lock.
    const rows = await manager.query<{ id: string; profile_id: string }[]>(
      `WITH claimed AS (
         UPDATE ${table} AS t SET lease_until = $2, lease_owner = $3, attempts = t.attempts + 1
         WHERE t.id IN (
           SELECT id FROM ${table}
           WHERE state = 'armed' AND due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
           ORDER BY due_at
           LIMIT $4
           FOR UPDATE SKIP LOCKED)
         RETURNING t.id, t.profile_id)
       SELECT id, profile_id FROM claimed`,
      [now, leaseUntil, owner, limit],
    );
    return rows.map((r) => ({ id: r.id, profileId: r.profile_id }));
  }

  /**
   * Lock the claimed timers that are still ours to fire: armed, leased by `owner`. A timer that
   * was moved, cancelled or re-claimed by another dispatcher since (after our lease expired)
   * is left alone. Locked in id order (with the activity rows locked first by the caller) so
   * two transactions never wait on each other in a cycle.
   */
  async lockClaimed(manager: EntityManager, ids: string[], owner: string): Promise<TimerEntity[]> {
    if (ids.length === 0) return [];
    return manager
      .getRepository(TimerEntity)
      .createQueryBuilder('t')
      .where('t.id = ANY(:ids) AND t.state = :state AND t.leaseOwner = :owner', {
        ids,
        state: 'armed',
        owner,
      })
      .orderBy('t.id')
      .setLock('pessimistic_write')
      .getMany();
  }

  async insert(manager: EntityManager, timer: TimerEntity): Promise<void> {
    await manager.getRepository(TimerEntity).insert({
      ...timer,
      leaseUntil: null,
      leaseOwner: null,
      attempts: 0,
    });
  }

  /**
   * Move a timer (new due time, payload, trace). Any lease on it is dropped with the old due
   * time, and the attempt count starts again: attempts count claims that never finished, and a
   * deferral is a finish.
   */
  async reschedule(
    manager: EntityManager,
    id: string,
    change: {
      dueAt: Date;
      payload: TimerPayload;
      traceHeaders?: Record<string, string>;
      idempotencyKey?: string;
      updatedAt: Date;
    },
  ): Promise<void> {
    await manager
      .getRepository(TimerEntity)
      .update({ id }, { ...change, leaseUntil: null, leaseOwner: null, attempts: 0 });
  }

  /** Finish several timers at once (the dispatcher's batch). */
  async setStateMany(
    manager: EntityManager,
    ids: string[],
    state: Exclude<TimerState, 'armed'>,
    at: Date,
  ): Promise<void> {
    if (ids.length === 0) return;
    const table = qualifiedTable(dataSourceSchema(manager.connection), 'timers');
    await manager.query(
      `UPDATE ${table} SET state = $2, updated_at = $3, lease_until = NULL, lease_owner = NULL,
         fired_at = CASE WHEN $2 = 'fired' THEN $3 ELSE fired_at END
       WHERE id = ANY($1::uuid[])`,
      [ids, state, at],
    );
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
        state === 'fired'
          ? { state, updatedAt: at, firedAt: at, leaseUntil: null, leaseOwner: null }
          : { state, updatedAt: at, leaseUntil: null, leaseOwner: null },
      );
  }
}
