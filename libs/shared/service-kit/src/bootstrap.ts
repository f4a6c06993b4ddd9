import {
  Logger,
  type DynamicModule,
  type LogLevel,
  type INestApplication,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestMicroservice } from '@nestjs/microservices';
import type { KairosConfig } from '@kairos/config';
import type { ConsumerGroupId } from '@kairos/contracts';
import { ErrorPassthroughFilter, KafkaBatchTransport } from '@kairos/messaging';
import { shutdownTelemetry } from '@kairos/telemetry';

export interface BootstrapOptions {
  config: KairosConfig;
  module: Type<unknown> | DynamicModule;
  /** The consumer group of the service's Kafka handlers; omit for a service without any. */
  consumerGroup?: ConsumerGroupId;
  /** Nest log levels (tests pass ['error', 'warn'] to keep output quiet). */
  logger?: LogLevel[] | false;
}

/**
 * Start a Kairos service: HTTP on the configured host (loopback unless configured) and the
 * Kafka consumer for the module's `@EventPattern` handlers, with graceful shutdown that
 * finishes in-flight messages, closes connections and flushes traces.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<INestApplication> {
  const { config } = options;
  const logger = new Logger(config.service);
  const app = await createService(options);
  const stop = async (signal: string) => {
    logger.log(`${signal}: shutting down`);
    await app.close();
    await shutdownTelemetry();
    process.exit(0);
  };
  process.once('SIGTERM', (s) => void stop(s));
  process.once('SIGINT', (s) => void stop(s));
  return app;
}

/**
 * Create, start and return a service without process signal handling — what integration
 * tests use to run a service in-process (with KAIROS_HTTP_PORT=0 for a free port).
 */
export async function createService(options: BootstrapOptions): Promise<INestApplication> {
  const { config } = options;
  const logger = new Logger(config.service);
  const app = await NestFactory.create(options.module, {
    bufferLogs: false,
    logger: options.logger,
  });
  // No app.enableShutdownHooks(): bootstrapService owns SIGTERM/SIGINT and calls app.close()
  // once; Nest's own signal listeners would run every shutdown hook a second time.

  if (options.consumerGroup) {
    // Deferred: without it Nest binds the handlers (and their exception filters) inside
    // connectMicroservice, before the global filter below exists, and the default RPC filter
    // turns every PermanentError into a retriable "Internal server error".
    const microservice = app.connectMicroservice(
      {
        strategy: new KafkaBatchTransport({
          brokers: config.kafka.brokers,
          clientId: config.kafka.clientId,
          namespace: config.kafka.namespace,
          groupId: options.consumerGroup,
          maxAttempts: config.kafka.maxAttempts,
          retryBackoffMs: config.kafka.retryBackoffMs,
          partitionsConsumedConcurrently: config.kafka.partitionsConsumedConcurrently,
        }),
      },
      { deferInitialization: true },
    ) as NestMicroservice;
    // Keep the handler's own error, so the transport can tell retriable from permanent.
    microservice.useGlobalFilters(new ErrorPassthroughFilter());
    // The application runs the modules' lifecycle hooks; a deferred microservice would run them
    // a second time when it starts listening.
    microservice.setIsInitHookCalled(true);
  }

  // Run every module's init hooks (topics created, publisher connected, outbox relays started)
  // before the first message is consumed.
  await app.init();
  await app.startAllMicroservices();
  await app.listen(config.http.port, config.http.host);
  logger.log(`listening on ${await app.getUrl()}`);
  return app;
}
