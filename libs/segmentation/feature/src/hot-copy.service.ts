import { Injectable } from '@nestjs/common';
import { RetriableError, errorMessage } from '@kairos/messaging';
import { DataSource } from 'typeorm';
import { ComputedTraitsRepository } from './computed-traits.repository';
import { HotTraitsRepository } from './hot-traits.repository';
import { MembershipRepository } from './membership.repository';

/**
 * Rewrites profiles' Redis traits hashes and segment sets from the committed rows. Runs after
 * every commit that changed them, and also after a duplicate message: if Redis failed after the
 * commit, the redelivery (a no-op in Postgres) still repairs the hot copy.
 */
@Injectable()
export class HotCopyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly traits: ComputedTraitsRepository,
    private readonly memberships: MembershipRepository,
    private readonly hot: HotTraitsRepository,
  ) {}

  async refresh(...profileIds: string[]): Promise<void> {
    const ids = [...new Set(profileIds)];
    if (ids.length === 0) return;
    // One snapshot, so traits and memberships in Redis always belong to the same version.
    const snapshot = await this.dataSource.transaction('REPEATABLE READ', async (manager) => ({
      rows: await this.traits.findMany(manager, ids),
      segments: await this.memberships.segmentIdsOf(manager, ids),
    }));
    const found = new Set(snapshot.rows.map((r) => r.profileId));
    try {
      await this.hot.write(
        snapshot.rows.map((stored) => ({
          stored,
          segmentIds: snapshot.segments.get(stored.profileId) ?? [],
        })),
      );
      await this.hot.remove(ids.filter((id) => !found.has(id)));
    } catch (error) {
      throw new RetriableError(
        'HOT_STORE_UNAVAILABLE',
        `writing the hot traits of ${ids.length} profile(s) failed: ${errorMessage(error)}`,
      );
    }
  }
}
