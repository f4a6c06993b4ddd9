import { Inject, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { KairosConfig } from '@kairos/config';
import { KafkaPublisher } from '@kairos/messaging';
import { Outbox, OutboxRelay } from '@kairos/persistence';
import { KAIROS_CONFIG } from '@kairos/service-kit';
import { DataSource } from 'typeorm';
import { ContentAdminController } from './content-admin.controller';
import { ContentAdminService } from './content-admin.service';
import { ContentRuleRepository } from './content-rule.repository';
import { ContentRepository } from './content.repository';
import { DeliveryRepository } from './delivery.repository';
import { EmailRenderer } from './email-renderer';
import { HotDataReader } from './hot-data.reader';
import { MAILER, SmtpMailer, type Mailer } from './mailer';
import { RENDERER_CONFIG, loadRendererConfig, type RendererConfig } from './renderer.config';
import { RendererConsumer } from './renderer.consumer';
import { SendMessageUseCase } from './send-message.use-case';
import { TemplateCatalog } from './template-catalog.service';
import { TemplateRepository } from './template.repository';
import { UnsubscribeController } from './unsubscribe.controller';
import { UnsubscribeRepository } from './unsubscribe.repository';
import { UnsubscribeUseCase } from './unsubscribe.use-case';

/**
 * The renderer: message requests in, personalized emails out (SMTP), outcomes published through
 * this module's own outbox relay; the content admin API (templates, blocks, rules, brands) and
 * the unsubscribe endpoint, whose events go back to ingest through the same outbox. Needs the
 * app's ServiceKit, Messaging, HotStore and Persistence modules.
 */
@Module({
  controllers: [RendererConsumer, ContentAdminController, UnsubscribeController],
  providers: [
    { provide: RENDERER_CONFIG, useFactory: () => loadRendererConfig() },
    { provide: EmailRenderer, useFactory: () => new EmailRenderer() },
    {
      provide: MAILER,
      inject: [RENDERER_CONFIG],
      useFactory: (config: RendererConfig): Mailer => new SmtpMailer(config.smtpUrl),
    },
    {
      provide: OutboxRelay,
      inject: [DataSource, Outbox, KafkaPublisher, KAIROS_CONFIG],
      useFactory: (
        dataSource: DataSource,
        outbox: Outbox,
        publisher: KafkaPublisher,
        config: KairosConfig,
      ) =>
        new OutboxRelay(dataSource, outbox.schema, publisher, {
          pollIntervalMs: config.outbox.pollIntervalMs,
        }),
    },
    DeliveryRepository,
    TemplateRepository,
    ContentRepository,
    ContentRuleRepository,
    UnsubscribeRepository,
    TemplateCatalog,
    ContentAdminService,
    HotDataReader,
    SendMessageUseCase,
    UnsubscribeUseCase,
  ],
})
export class RendererFeatureModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(MAILER) private readonly mailer: Mailer,
  ) {}

  onModuleInit(): void {
    this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
    this.mailer.close();
  }
}
