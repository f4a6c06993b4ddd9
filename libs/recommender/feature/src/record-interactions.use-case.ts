import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import type { ResolvedEvent } from '@kairos/contracts';
import { handleOnce } from '@kairos/messaging';
import { ProcessedEvents } from '@kairos/persistence';
import { DataSource } from 'typeorm';
import { InteractionRepository } from './interaction.repository';
import { interactionSignals } from './interaction-signals';
import { ModelStore } from './model-store';
import { ProductRepository } from './product.repository';
import { RefreshRecommendationsService } from './refresh-recommendations.service';

export const RESOLVED_EVENTS_CONSUMER = 'recommender/events.resolved.v1';

export type RecommenderOutcome = 'handled' | 'duplicate';

/**
 * Record an event's implicit feedback (per-event rows for training, the aggregate and popularity
 * for the pre-model fallback), learn products the catalog has not sent yet, then refresh the
 * profile's top N in Redis — with a trained model, by folding the profile in against its item
 * factors, so a purchase moves the list within the same handler.
 *
 * The claim and all writes share one transaction (a redelivered event adds nothing). The
 * refresh runs after the commit, also for a duplicate, so a Redis failure after the commit is
 * repaired by the redelivery. Before a model exists every event of the profile refreshes, even
 * one without products (popularity moves with everyone's events); with a model, only events
 * with products do (the model's popularity changes at the next training, not per event).
 */
@Injectable()
export class RecordInteractionsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly processed: ProcessedEvents,
    private readonly products: ProductRepository,
    private readonly interactions: InteractionRepository,
    private readonly refresher: RefreshRecommendationsService,
    private readonly models: ModelStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(event: ResolvedEvent): Promise<RecommenderOutcome> {
    const signals = interactionSignals(event);
    const result = await this.dataSource.transaction((manager) =>
      handleOnce(
        () => this.processed.claim(manager, RESOLVED_EVENTS_CONSUMER, event.eventId),
        async () => {
          if (signals.length === 0) return;
          await this.products.learn(
            manager,
            signals.map((s) => s.product),
            this.clock.now(),
          );
          await this.interactions.record(
            manager,
            event.eventId,
            event.profileId,
            signals,
            new Date(event.timestamp),
          );
        },
      ),
    );
    if (signals.length > 0 || !this.models.current) await this.refresher.refresh(event.profileId);
    return result.outcome;
  }
}
