import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  ProfileChanged,
  ProfilesMerged,
  ResolvedEvent,
  Topics,
  parseContract,
} from '@kairos/contracts';
import { PermanentError, type KafkaMessageContext } from '@kairos/messaging';
import { ApplyProfileChangeUseCase } from './apply-profile-change.use-case';
import {
  ApplyResolvedEventUseCase,
  type SegmentationOutcome,
} from './apply-resolved-event.use-case';
import { MergeProfilesUseCase } from './merge-profiles.use-case';

/**
 * Kafka adapter: validate against the contract (a violation goes to the DLQ at once, retrying
 * cannot fix it) and hand over to the use case.
 */
@Controller()
export class SegmentationConsumer {
  constructor(
    private readonly applyEvent: ApplyResolvedEventUseCase,
    private readonly applyProfileChange: ApplyProfileChangeUseCase,
    private readonly mergeProfiles: MergeProfilesUseCase,
  ) {}

  @EventPattern(Topics.EventsResolved)
  async onResolvedEvent(
    @Payload() payload: unknown,
    @Ctx() _ctx: KafkaMessageContext,
  ): Promise<SegmentationOutcome> {
    const parsed = parseContract(ResolvedEvent, payload);
    if (!parsed.ok) throw new PermanentError('SCHEMA_VIOLATION', parsed.summary);
    return this.applyEvent.execute(parsed.value);
  }

  @EventPattern(Topics.ProfileChanges)
  async onProfileChanged(
    @Payload() payload: unknown,
    @Ctx() _ctx: KafkaMessageContext,
  ): Promise<SegmentationOutcome> {
    // A tombstone on the compacted topic (a deleted profile) carries nothing to apply.
    if (payload === null) return 'ignored';
    const parsed = parseContract(ProfileChanged, payload);
    if (!parsed.ok) throw new PermanentError('SCHEMA_VIOLATION', parsed.summary);
    return this.applyProfileChange.execute(parsed.value);
  }

  @EventPattern(Topics.IdentityMerges)
  async onProfilesMerged(
    @Payload() payload: unknown,
    @Ctx() _ctx: KafkaMessageContext,
  ): Promise<SegmentationOutcome> {
    const parsed = parseContract(ProfilesMerged, payload);
    if (!parsed.ok) throw new PermanentError('SCHEMA_VIOLATION', parsed.summary);
    return this.mergeProfiles.execute(parsed.value);
  }
}
