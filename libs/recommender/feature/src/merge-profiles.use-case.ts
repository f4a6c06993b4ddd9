import { Injectable } from '@nestjs/common';
import { mergeAnnouncementKind, type ProfilesMerged } from '@kairos/contracts';
import { PermanentError, RetriableError, errorMessage, handleOnce } from '@kairos/messaging';
import { ProcessedEvents } from '@kairos/persistence';
import { DataSource } from 'typeorm';
import { HotRecommendationsRepository } from './hot-recommendations.repository';
import { InteractionRepository } from './interaction.repository';
import type { RecommenderOutcome } from './record-interactions.use-case';
import { RefreshRecommendationsService } from './refresh-recommendations.service';

export const MERGES_CONSUMER = 'recommender/identity.merges.v1';

/**
 * A merge moves the merged profile's interactions to the survivor (its events keep their origin);
 * an unmerge moves the events that came from the merged profile back. Claimed per kind and merge
 * id in the same transaction as the move (an unmerge carries its merge's id), so redeliveries are
 * no-ops. After the commit the survivor's list is recomputed (folded in against the model when
 * there is one); a merged-away profile's list is deleted, an unmerged one gets its own again.
 */
@Injectable()
export class MergeProfilesUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly processed: ProcessedEvents,
    private readonly interactions: InteractionRepository,
    private readonly refresher: RefreshRecommendationsService,
    private readonly hot: HotRecommendationsRepository,
  ) {}

  async execute(merge: ProfilesMerged): Promise<RecommenderOutcome> {
    const { survivorProfileId: survivorId, mergedProfileId: mergedId, mergeId } = merge;
    if (survivorId === mergedId) {
      throw new PermanentError(
        'INVALID_MERGE',
        `merge ${mergeId} merges profile ${survivorId} into itself`,
      );
    }
    const kind = mergeAnnouncementKind(merge);
    const result = await this.dataSource.transaction((manager) =>
      handleOnce(
        () => this.processed.claim(manager, MERGES_CONSUMER, `${kind}:${mergeId}`),
        () =>
          kind === 'merge'
            ? this.interactions.moveProfile(manager, mergedId, survivorId)
            : this.interactions.unmoveProfile(manager, mergedId, survivorId),
      ),
    );
    // Also for a duplicate: a Redis failure after the commit is repaired by the redelivery.
    await this.refresher.refresh(survivorId);
    if (kind === 'merge') {
      try {
        await this.hot.delete(mergedId);
      } catch (error) {
        throw new RetriableError(
          'HOT_STORE_UNAVAILABLE',
          `deleting recommendations of ${mergedId} failed: ${errorMessage(error)}`,
        );
      }
    } else {
      await this.refresher.refresh(mergedId);
    }
    return result.outcome;
  }
}
