import { Injectable } from '@nestjs/common';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import type { EntityManager } from 'typeorm';
import type { ExistingDelivery } from './delivery-claim';
import { DeliveryEntity } from './delivery.entity';

export type NewDelivery = Pick<
  DeliveryEntity,
  'id' | 'requestId' | 'idempotencyKey' | 'profileId' | 'trigger' | 'template' | 'createdAt'
>;

export type ClaimResult =
  { inserted: true; id: string } | { inserted: false; id: string; existing: ExistingDelivery };

/** Deliveries in Postgres. Every method runs on the caller's EntityManager (its transaction). */
@Injectable()
export class DeliveryRepository {
  /**
   * Insert the delivery as 'sending', or, if its idempotency key exists, lock and return the
   * existing row. The unique key makes concurrent claims of one request take turns.
   */
  async claim(manager: EntityManager, delivery: NewDelivery): Promise<ClaimResult> {
    const table = qualifiedTable(dataSourceSchema(manager.connection), 'deliveries');
    const inserted = await manager.query<{ id: string }[]>(
      `INSERT INTO ${table}
         (id, request_id, idempotency_key, profile_id, trigger, template, status, retriable, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'sending', false, $7, $7)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id`,
      [
        delivery.id,
        delivery.requestId,
        delivery.idempotencyKey,
        delivery.profileId,
        delivery.trigger,
        delivery.template,
        delivery.createdAt,
      ],
    );
    if (inserted.length === 1) return { inserted: true, id: inserted[0].id };
    const existing = await manager
      .getRepository(DeliveryEntity)
      .createQueryBuilder('d')
      .where('d.idempotencyKey = :key', { key: delivery.idempotencyKey })
      .setLock('pessimistic_write')
      .getOneOrFail();
    return {
      inserted: false,
      id: existing.id,
      existing: { status: existing.status, retriable: existing.retriable },
    };
  }

  /** The delivery with this id (the unsubscribe link's credential), or null. */
  async findById(manager: EntityManager, id: string): Promise<DeliveryEntity | null> {
    return manager.getRepository(DeliveryEntity).findOneBy({ id });
  }

  async markSending(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager
      .getRepository(DeliveryEntity)
      .update({ id }, { status: 'sending', reason: null, retriable: false, updatedAt: at });
  }

  async markSent(manager: EntityManager, id: string, messageId: string, at: Date): Promise<void> {
    await manager
      .getRepository(DeliveryEntity)
      .update({ id }, { status: 'sent', messageId, reason: null, retriable: false, updatedAt: at });
  }

  async markHeld(manager: EntityManager, id: string, reason: string, at: Date): Promise<void> {
    await manager
      .getRepository(DeliveryEntity)
      .update({ id }, { status: 'held', reason, retriable: false, updatedAt: at });
  }

  async markFailed(
    manager: EntityManager,
    id: string,
    reason: string,
    retriable: boolean,
    at: Date,
  ): Promise<void> {
    await manager
      .getRepository(DeliveryEntity)
      .update({ id }, { status: 'failed', reason, retriable, updatedAt: at });
  }
}
