import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { EventTypes, Topics } from '@kairos/contracts';
import { Outbox, OutboxRelay } from '@kairos/persistence';
import { DataSource } from 'typeorm';
import { DeliveryRepository } from './delivery.repository';
import { unsubscribeAnonymousId, unsubscribeEvents } from './domain/unsubscribe-events';
import { HotDataReader } from './hot-data.reader';
import { RendererErrorCode, RendererException } from './renderer.exception';
import { UnsubscribeRepository } from './unsubscribe.repository';

export interface UnsubscribeResult {
  /** false when this delivery's unsubscribe had been recorded before (a repeat click). */
  recorded: boolean;
  /** Raw events added to the outbox for ingest. */
  published: number;
}

/**
 * One unsubscribe through a delivery's link. The delivery id (a random UUID, only ever in that
 * one email) is the credential. Recording it and adding the raw events to the outbox happen in
 * one transaction, and the unsubscribes table's primary key makes every repeat a no-op, so the
 * events are published once however often the link is clicked or the one-click POST retried.
 */
@Injectable()
export class UnsubscribeUseCase {
  private readonly logger = new Logger(UnsubscribeUseCase.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly deliveries: DeliveryRepository,
    private readonly unsubscribes: UnsubscribeRepository,
    private readonly hotData: HotDataReader,
  ) {}

  /** Whether a delivery with this id exists (for the confirm page). */
  async exists(deliveryId: string): Promise<boolean> {
    return (await this.deliveries.findById(this.dataSource.manager, deliveryId)) !== null;
  }

  async execute(deliveryId: string, method: 'one-click' | 'page'): Promise<UnsubscribeResult> {
    const delivery = await this.deliveries.findById(this.dataSource.manager, deliveryId);
    if (!delivery)
      throw new RendererException(RendererErrorCode.NotFound, 'unknown unsubscribe link');
    // The address is read before the transaction: Redis is not part of it, and a miss only
    // means fewer events (see unsubscribeEvents), never a lost unsubscribe.
    const hot = await this.hotData.read(delivery.profileId).catch(() => undefined);
    const now = this.clock.now();
    const events = unsubscribeEvents({
      deliveryId,
      profileId: delivery.profileId,
      trigger: delivery.trigger,
      template: delivery.template,
      email: hot?.recipient?.email,
      at: now,
    });
    const result = await this.dataSource.transaction(async (manager) => {
      const recorded = await this.unsubscribes.record(manager, {
        deliveryId,
        profileId: delivery.profileId,
        method,
        createdAt: now,
      });
      if (!recorded || events.length === 0) return { recorded, published: 0 };
      await this.outbox.add(
        manager,
        Topics.EventsRaw,
        events.map((event) => ({
          key: unsubscribeAnonymousId(delivery.profileId),
          value: event,
          type: EventTypes.RawEvent,
          id: event.messageId,
          time: now.toISOString(),
        })),
      );
      return { recorded, published: events.length };
    });
    if (result.published) this.relay.kick();
    if (result.recorded && result.published === 0)
      this.logger.warn(
        `unsubscribe of delivery ${deliveryId} (profile ${delivery.profileId}) recorded, but no address in the hot store: no consent event published`,
      );
    return result;
  }
}
