import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import type { ProfileChanged } from '@kairos/contracts';
import { handleOnce } from '@kairos/messaging';
import { OutboxRelay, ProcessedEvents } from '@kairos/persistence';
import { DataSource } from 'typeorm';
import type { SegmentationOutcome } from './apply-resolved-event.use-case';
import { ComputedTraitsRepository } from './computed-traits.repository';
import { HotCopyService } from './hot-copy.service';
import { MergedProfileRepository } from './merged-profile.repository';
import { ProfileEvaluator } from './profile-evaluator';
import { toStoredProfile, withProfileTraits } from './profile-input';
import { SegmentCatalog } from './segment-catalog.service';

export const PROFILE_CHANGES_CONSUMER = 'segmentation/profiles.changes.v1';

/**
 * Take in a profile's new state (birthday → age, consent, email presence/domain, custom traits,
 * signup time) and re-evaluate its segments, in one transaction with the claim of
 * (profileId, version). `version` is monotonic per profile: an older or equal version than the
 * one applied is ignored (the topic is compacted and may be re-read).
 *
 * A merged-away profile's state is ignored: its survivor carries the person now and gets its
 * own ProfileChanged.
 */
@Injectable()
export class ApplyProfileChangeUseCase {
  private readonly logger = new Logger(ApplyProfileChangeUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly processed: ProcessedEvents,
    private readonly relay: OutboxRelay,
    private readonly traits: ComputedTraitsRepository,
    private readonly mergedProfiles: MergedProfileRepository,
    private readonly catalog: SegmentCatalog,
    private readonly evaluator: ProfileEvaluator,
    private readonly hotCopy: HotCopyService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(change: ProfileChanged): Promise<SegmentationOutcome> {
    const claimId = `${change.profileId}:v${change.version}`;
    const result = await this.dataSource.transaction((manager) =>
      handleOnce(
        () => this.processed.claim(manager, PROFILE_CHANGES_CONSUMER, claimId),
        async (): Promise<{ outcome: SegmentationOutcome; messages: number }> => {
          if (await this.mergedProfiles.survivorOf(manager, change.profileId)) {
            this.logger.log(`profile ${change.profileId} v${change.version} ignored: merged away`);
            return { outcome: 'ignored', messages: 0 };
          }
          const now = this.clock.now();
          const stored = await this.traits.lockOrCreate(manager, change.profileId, now);
          if (change.version <= stored.profileVersion) return { outcome: 'ignored', messages: 0 };
          const { program } = await this.catalog.current(manager);
          const profile = toStoredProfile(change);
          const { messages } = await this.evaluator.apply(manager, program, {
            stored,
            traits: withProfileTraits(stored.traits, profile),
            profile,
            profileVersion: change.version,
            now,
            at: new Date(change.updatedAt),
            causeId: `profile:${claimId}`,
          });
          return { outcome: 'handled', messages };
        },
      ),
    );
    if (result.outcome === 'duplicate') {
      await this.hotCopy.refresh(change.profileId);
      return 'duplicate';
    }
    if (result.result.messages > 0) this.relay.kick();
    if (result.result.outcome === 'handled') await this.hotCopy.refresh(change.profileId);
    return result.result.outcome;
  }
}
