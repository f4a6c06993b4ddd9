import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import {
  EventTypes,
  SpecEvents,
  Topics,
  type AcceptedEvent,
  type RawEvent,
} from '@kairos/contracts';
import { KafkaPublisher, currentTraceHeaders, type OutgoingMessage } from '@kairos/messaging';
import { INGEST_SETTINGS, type IngestSettings } from './ingest.config';
import { normalizeEvent } from './normalize-event';
import { judgeOrderValue } from './order-outlier';
import { OrderValueWindowRepository } from './order-value-window.repository';
import { partitionKey } from './partition-key';
import { SeenMessageRepository } from './seen-message.repository';

export type AcceptOutcome = 'accepted' | 'duplicate';

/**
 * Normalize a valid raw event, drop it if its messageId was already accepted, else publish it
 * to `events.accepted.v1`.
 *
 * Order, chosen so nothing is lost: check → publish (acks from all in-sync replicas) → mark
 * seen. A crash after the publish and before the mark makes the redelivered raw event pass the
 * filter again and be published twice with the same eventId; identity resolution claims
 * eventIds in Postgres, so the copy is a no-op there. The opposite order (mark, then publish)
 * could lose the event for good if the publish failed.
 *
 * Two copies of one messageId handled at the same moment (different partitions or replicas)
 * can both pass the check; the same downstream dedupe on eventId covers that race.
 */
@Injectable()
export class AcceptEventUseCase {
  private readonly log = new Logger(AcceptEventUseCase.name);

  constructor(
    private readonly publisher: KafkaPublisher,
    private readonly seen: SeenMessageRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
    private readonly orderValues: OrderValueWindowRepository,
  ) {}

  async execute(raw: RawEvent): Promise<AcceptOutcome> {
    // Without an upstream messageId there is nothing to recognize a duplicate by: the id
    // normalizeEvent generates is new on every delivery, so such events skip the filter.
    const dedupeId = raw.messageId;
    if (dedupeId !== undefined && (await this.wasSeen(dedupeId))) {
      this.log.debug(`duplicate messageId ${dedupeId} dropped`);
      return 'duplicate';
    }
    await this.publisher.produce(Topics.EventsAccepted, [await this.toAccepted(raw)]);
    if (dedupeId !== undefined) await this.markSeen(dedupeId);
    return 'accepted';
  }

  /**
   * {@link execute} for a run of raw events (consecutive messages of one partition), with the
   * same order of steps — check → publish → mark seen — each done once for the whole run: one
   * pipelined duplicate check, ONE publish of every accepted event (in order, so per key too),
   * one pipelined mark. A messageId repeated within the run counts as seen after its first
   * copy, as it would one by one. `inEvent(i, work)` runs event i's work in its own trace
   * context, so its accepted message continues its trace. Nothing is marked seen unless the
   * publish succeeded; if it fails the error propagates (and the transport retries the run's
   * events one by one).
   */
  async executeBatch(
    raws: readonly RawEvent[],
    inEvent: <T>(index: number, work: () => Promise<T>) => Promise<T> = (_i, work) => work(),
  ): Promise<AcceptOutcome[]> {
    const ids = raws.map((raw) => raw.messageId).filter((id): id is string => id !== undefined);
    const seen = await this.seenAmong(ids);
    const outcomes: AcceptOutcome[] = [];
    const accepted: OutgoingMessage[] = [];
    const toMark: string[] = [];
    for (let i = 0; i < raws.length; i++) {
      const dedupeId = raws[i].messageId;
      if (dedupeId !== undefined && seen.has(dedupeId)) {
        outcomes.push('duplicate');
        continue;
      }
      if (dedupeId !== undefined) {
        seen.add(dedupeId);
        toMark.push(dedupeId);
      }
      accepted.push(
        await inEvent(i, async () => ({
          ...(await this.toAccepted(raws[i])),
          // The publisher sends the whole run at once: each message carries its own trace.
          headers: currentTraceHeaders(),
        })),
      );
      outcomes.push('accepted');
    }
    await this.publisher.produce(Topics.EventsAccepted, accepted);
    if (toMark.length > 0) {
      try {
        await this.seen.markSeenMany(toMark);
      } catch (error) {
        this.log.warn(`could not remember ${toMark.length} messageId(s): ${describe(error)}`);
      }
    }
    return outcomes;
  }

  /** Normalize and flag a raw event: the accepted message to publish. */
  private async toAccepted(raw: RawEvent): Promise<OutgoingMessage> {
    const event = normalizeEvent(raw, {
      receivedAt: this.clock.now(),
      newEventId: randomUUID,
      defaultRegion: this.settings.defaultRegion,
      maxFutureSkewSeconds: this.settings.maxFutureSkewSeconds,
    });
    await this.flagOrderOutlier(event);
    if (event.warnings.length > 0) {
      this.log.warn(`event ${event.eventId} accepted with warnings: ${event.warnings.join('; ')}`);
    }
    // The schema guarantees one of the two is present.
    const identity = event.userId ?? event.anonymousId ?? event.eventId;
    return {
      key: partitionKey(identity),
      value: event,
      type: EventTypes.AcceptedEvent,
      id: event.eventId,
    };
  }

  /** The duplicate filter for a batch; fails open like {@link wasSeen}. */
  private async seenAmong(messageIds: readonly string[]): Promise<Set<string>> {
    try {
      return await this.seen.seenAmong(messageIds);
    } catch (error) {
      this.log.warn(
        `duplicate check skipped for ${messageIds.length} event(s): ${describe(error)}`,
      );
      return new Set();
    }
  }

  /**
   * Flag (never drop) an Order Completed whose revenue (else total) is an outlier for its
   * currency, in `context.kairos.outlier`, so models can leave it out. Orders without a valid
   * currency are not judged: a window per currency needs the currency, and mixing amounts of
   * different currencies would make every window meaningless.
   *
   * Fails open like the duplicate filter: without Redis the event is accepted unflagged — the
   * flag is an aid for models, not a gate.
   */
  private async flagOrderOutlier(event: AcceptedEvent): Promise<void> {
    if (event.type !== 'track' || event.event !== SpecEvents.OrderCompleted) return;
    const { revenue, total, currency } = event.properties;
    const value =
      typeof revenue === 'number' ? revenue : typeof total === 'number' ? total : undefined;
    if (value === undefined || typeof currency !== 'string') return;
    let window: number[];
    try {
      window = await this.orderValues.addAndGetPrevious(currency, value);
    } catch (error) {
      this.log.warn(`outlier check skipped for ${event.eventId}: ${describe(error)}`);
      return;
    }
    const judgement = judgeOrderValue(value, window, this.settings.outlierMinSamples);
    if (!judgement.outlier) return;
    const kairos = isRecord(event.context.kairos) ? event.context.kairos : {};
    event.context = {
      ...event.context,
      kairos: {
        ...kairos,
        outlier: { rule: 'modified-z', score: judgement.score, samples: judgement.samples },
      },
    };
    this.log.log(`order ${event.eventId} flagged as an outlier (modified z ${judgement.score})`);
  }

  /**
   * The filter fails open: with Redis unavailable an event is treated as new rather than
   * blocking the partition or being dead-lettered. That is safe because the filter is only an
   * optimization — every downstream consumer dedupes on eventId — while blocking would stall the
   * partition and dead-lettering would divert good events from the pipeline.
   */
  private async wasSeen(messageId: string): Promise<boolean> {
    try {
      return await this.seen.wasSeen(messageId);
    } catch (error) {
      this.log.warn(`duplicate check skipped for ${messageId}: ${describe(error)}`);
      return false;
    }
  }

  private async markSeen(messageId: string): Promise<void> {
    try {
      await this.seen.markSeen(messageId);
    } catch (error) {
      this.log.warn(`could not remember messageId ${messageId}: ${describe(error)}`);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
