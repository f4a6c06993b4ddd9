import { Module } from '@nestjs/common';
import { AcceptEventUseCase } from './accept-event.use-case';
import { INGEST_SETTINGS, loadIngestSettings } from './ingest.config';
import { IngestConsumer } from './ingest.consumer';
import { RejectEventUseCase } from './reject-event.use-case';
import { SeenMessageRepository } from './seen-message.repository';

/**
 * Ingest: validates and normalizes raw Segment events, filters duplicates by messageId, and
 * publishes accepted or rejected events. Uses the global KafkaPublisher, Redis, HotKeys and
 * Clock the app module provides; owns no Postgres schema.
 */
@Module({
  controllers: [IngestConsumer],
  providers: [
    { provide: INGEST_SETTINGS, useFactory: () => loadIngestSettings() },
    SeenMessageRepository,
    AcceptEventUseCase,
    RejectEventUseCase,
  ],
})
export class IngestFeatureModule {}
