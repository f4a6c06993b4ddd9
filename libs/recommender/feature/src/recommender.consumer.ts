import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  ProductUpserted,
  ProfilesMerged,
  ResolvedEvent,
  Topics,
  parseContract,
} from '@kairos/contracts';
import { PermanentError, type KafkaMessageContext } from '@kairos/messaging';
import { MergeProfilesUseCase } from './merge-profiles.use-case';
import { RecordInteractionsUseCase, type RecommenderOutcome } from './record-interactions.use-case';
import { UpsertProductUseCase } from './upsert-product.use-case';

/** Kafka adapter: validate against the contract (violations go to the DLQ), call the use case. */
@Controller()
export class RecommenderConsumer {
  constructor(
    private readonly recordInteractions: RecordInteractionsUseCase,
    private readonly products: UpsertProductUseCase,
    private readonly merges: MergeProfilesUseCase,
  ) {}

  @EventPattern(Topics.IdentityMerges)
  async onProfilesMerged(
    @Payload() payload: unknown,
    @Ctx() _ctx: KafkaMessageContext,
  ): Promise<RecommenderOutcome> {
    const parsed = parseContract(ProfilesMerged, payload);
    if (!parsed.ok) throw new PermanentError('SCHEMA_VIOLATION', parsed.summary);
    return this.merges.execute(parsed.value);
  }

  @EventPattern(Topics.EventsResolved)
  async onResolvedEvent(
    @Payload() payload: unknown,
    @Ctx() _ctx: KafkaMessageContext,
  ): Promise<RecommenderOutcome> {
    const parsed = parseContract(ResolvedEvent, payload);
    if (!parsed.ok) throw new PermanentError('SCHEMA_VIOLATION', parsed.summary);
    return this.recordInteractions.execute(parsed.value);
  }

  @EventPattern(Topics.CatalogProducts)
  async onProduct(
    @Payload() payload: unknown,
    @Ctx() ctx: KafkaMessageContext,
  ): Promise<'upserted' | 'removed'> {
    // The catalog topic is compacted and keyed by productId: a null value is a tombstone.
    if (payload === null) {
      const productId = ctx.info.key;
      if (!productId)
        throw new PermanentError('SCHEMA_VIOLATION', 'catalog tombstone without a key (productId)');
      await this.products.remove(productId);
      return 'removed';
    }
    const parsed = parseContract(ProductUpserted, payload);
    if (!parsed.ok) throw new PermanentError('SCHEMA_VIOLATION', parsed.summary);
    await this.products.upsert(parsed.value);
    return 'upserted';
  }
}
