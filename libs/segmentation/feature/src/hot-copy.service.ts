import { Injectable } from '@nestjs/common';
import { RetriableError, errorMessage } from '@kairos/messaging';
import { DataSource } from 'typeorm';
import { ComputedTraitsRepository } from './computed-traits.repository';
import { HotTraitsRepository } from './hot-traits.repository';
import { MembershipRepository } from './membership.repository';

/**
 * Rewrites a profile's Redis traits hash and segment set from the committed rows. Runs after
 * every handled message, and also after a duplicate one: if Redis failed after the commit, the
 * redelivery (a no-op in Postgres) still repairs the hot copy.
 */
@Injectable()
export class HotCopyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly traits: ComputedTraitsRepository,
    private readonly memberships: MembershipRepository,
    private readonly hot: HotTraitsRepository,
  ) {}

  async refresh(profileId: string): Promise<void> {
    // One snapshot, so traits and memberships in Redis always belong to the same version.
    const snapshot = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const stored = await this.traits.find(manager, profileId);
      return stored
        ? { stored, segmentIds: await this.memberships.segmentIds(manager, profileId) }
        : undefined;
    });
    try {
      if (snapshot) await this.hot.write(snapshot.stored, snapshot.segmentIds);
      else await this.hot.remove(profileId);
    } catch (error) {
      throw new RetriableError(
        'HOT_STORE_UNAVAILABLE',
        `writing the hot traits of ${profileId} failed: ${errorMessage(error)}`,
      );
    }
  }
}
