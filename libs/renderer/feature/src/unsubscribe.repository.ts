import { Injectable } from '@nestjs/common';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import type { EntityManager } from 'typeorm';
import type { UnsubscribeEntity } from './unsubscribe.entity';

/** Unsubscribes received through delivery links. */
@Injectable()
export class UnsubscribeRepository {
  /** Record it; false when this delivery's unsubscribe was already recorded. */
  async record(manager: EntityManager, unsubscribe: UnsubscribeEntity): Promise<boolean> {
    const table = qualifiedTable(dataSourceSchema(manager.connection), 'unsubscribes');
    const rows = await manager.query<unknown[]>(
      `INSERT INTO ${table} (delivery_id, profile_id, method, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (delivery_id) DO NOTHING RETURNING delivery_id`,
      [unsubscribe.deliveryId, unsubscribe.profileId, unsubscribe.method, unsubscribe.createdAt],
    );
    return rows.length === 1;
  }
}
