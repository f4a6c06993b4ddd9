import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  MembershipChanged,
  MessageOutcome,
  ProfileChanged,
  ProfileId,
  ResolvedEvent,
  Topics,
  parseContract,
} from '@kairos/contracts';
import { KafkaMessageContext, PermanentError } from '@kairos/messaging';
import { HandleCartEventUseCase } from './handle-cart-event.use-case';
import { HandleEngagementEventUseCase } from './handle-engagement-event.use-case';
import { HandleMembershipUseCase } from './handle-membership.use-case';
import { ProjectProfileUseCase } from './project-profile.use-case';
import { RecordOutcomeUseCase } from './record-outcome.use-case';

/**
 * Kafka handlers of the trigger-scheduler: validate against the contract (a payload that does
 * not fit goes to the DLQ at once, with the reason), then hand over to a use case.
 */
@Controller()
export class SchedulerConsumer {
  constructor(
    private readonly cartEvents: HandleCartEventUseCase,
    private readonly engagementEvents: HandleEngagementEventUseCase,
    private readonly memberships: HandleMembershipUseCase,
    private readonly profiles: ProjectProfileUseCase,
    private readonly outcomes: RecordOutcomeUseCase,
  ) {}

  /** Each use case claims the event under its own inbox name, so both are idempotent. */
  @EventPattern(Topics.EventsResolved)
  async onEventResolved(@Payload() payload: unknown): Promise<void> {
    const parsed = parseContract(ResolvedEvent, payload);
    if (!parsed.ok) throw new PermanentError('SCHEMA_VIOLATION', parsed.summary);
    await this.cartEvents.execute(parsed.value);
    await this.engagementEvents.execute(parsed.value);
  }

  @EventPattern(Topics.ProfileChanges)
  async onProfileChanged(
    @Payload() payload: unknown,
    @Ctx() ctx: KafkaMessageContext,
  ): Promise<void> {
    if (payload === null) {
      // A tombstone on the compacted topic: the profile (the message key) was erased.
      const key = parseContract(ProfileId, ctx.info.key);
      if (!key.ok) throw new PermanentError('SCHEMA_VIOLATION', `tombstone key: ${key.summary}`);
      await this.profiles.erase(key.value);
      return;
    }
    const parsed = parseContract(ProfileChanged, payload);
    if (!parsed.ok) throw new PermanentError('SCHEMA_VIOLATION', parsed.summary);
    await this.profiles.apply(parsed.value);
  }

  @EventPattern(Topics.SegmentMemberships)
  async onMembershipChanged(@Payload() payload: unknown): Promise<void> {
    const parsed = parseContract(MembershipChanged, payload);
    if (!parsed.ok) throw new PermanentError('SCHEMA_VIOLATION', parsed.summary);
    await this.memberships.execute(parsed.value);
  }

  @EventPattern(Topics.MessagesOutcomes)
  async onMessageOutcome(@Payload() payload: unknown): Promise<void> {
    const parsed = parseContract(MessageOutcome, payload);
    if (!parsed.ok) throw new PermanentError('SCHEMA_VIOLATION', parsed.summary);
    await this.outcomes.execute(parsed.value);
  }
}
