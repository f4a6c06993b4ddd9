import { Module } from '@nestjs/common';
import { AcceptEventUseCase } from './accept-event.use-case';
import { INGEST_SETTINGS, loadIngestSettings, type IngestSettings } from './ingest.config';
import { IngestConsumer } from './ingest.consumer';
import { IngestController } from './ingest.controller';
import { IngestHttpPipeline } from './ingest-http.pipeline';
import { OrderValueWindowRepository } from './order-value-window.repository';
import { ReceiveEventsUseCase } from './receive-events.use-case';
import { RejectEventUseCase } from './reject-event.use-case';
import { SeenMessageRepository } from './seen-message.repository';
import { WRITE_KEYS, WriteKeyGuard } from './write-key.guard';
import { WriteKeys } from './write-keys';

/**
 * Ingest: the Segment-compatible HTTP API (publishes to `events.raw.v1`) and the raw-topic
 * consumer, which validates and normalizes events, filters duplicates by messageId, flags order
 * outliers, and publishes accepted or rejected events. Uses the global KafkaPublisher, Redis,
 * HotKeys and Clock the app module provides; owns no Postgres schema.
 */
@Module({
  controllers: [IngestConsumer, IngestController],
  providers: [
    { provide: INGEST_SETTINGS, useFactory: () => loadIngestSettings() },
    {
      provide: WRITE_KEYS,
      inject: [INGEST_SETTINGS],
      useFactory: (settings: IngestSettings) => new WriteKeys(settings.writeKeys),
    },
    IngestHttpPipeline,
    WriteKeyGuard,
    SeenMessageRepository,
    OrderValueWindowRepository,
    AcceptEventUseCase,
    RejectEventUseCase,
    ReceiveEventsUseCase,
  ],
})
export class IngestFeatureModule {}
