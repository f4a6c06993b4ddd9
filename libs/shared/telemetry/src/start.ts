/**
 * Starts OpenTelemetry. Every service's main.ts imports its `instrument.ts` first, which calls
 * {@link startTelemetry} before anything else is loaded: the instrumentations patch kafkajs,
 * pg, ioredis and http when those modules are first required, so the SDK must start first.
 *
 * This file reads the standard OTEL_* variables itself because it runs before the config
 * library is loaded.
 */
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { REDACTED, redactUrl, redisStatement } from './redaction';

let sdk: NodeSDK | undefined;

export interface TelemetryOptions {
  serviceName: string;
  /** Extra exporters (tests use an in-memory one). */
  exporters?: SpanExporter[];
  env?: Record<string, string | undefined>;
}

export function startTelemetry(options: TelemetryOptions): NodeSDK | undefined {
  const env = options.env ?? process.env;
  if (sdk || env.OTEL_SDK_DISABLED === 'true') return sdk;
  if (env.OTEL_LOG_LEVEL === 'debug') diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.DEBUG);

  const exporters: SpanExporter[] = [...(options.exporters ?? [])];
  // The OTLP/HTTP exporter is used when an endpoint is configured; without one, spans are
  // still created (so trace context propagates through Kafka) but not exported.
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    exporters.push(new OTLPTraceExporter());
  }
  const spanProcessors: SpanProcessor[] = exporters.map(
    (exporter) => new BatchSpanProcessor(exporter),
  );

  sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? `kairos-${options.serviceName}`,
      [ATTR_SERVICE_VERSION]: env.npm_package_version ?? '0.1.0',
      'service.namespace': 'kairos',
    }),
    spanProcessors,
    instrumentations: [
      new HttpInstrumentation({
        // No PII in traces: query strings (which may hold an email) are dropped from URLs.
        requestHook: (span, request) => {
          const url = 'url' in request && typeof request.url === 'string' ? request.url : undefined;
          if (url) span.setAttribute('url.path', redactUrl(url));
        },
        ignoreIncomingRequestHook: (request) => request.url?.startsWith('/health') ?? false,
      }),
      // Message keys may be upstream identifiers (a userId can be an email): never record them.
      new KafkaJsInstrumentation({
        producerHook: (span) => span.setAttribute('messaging.kafka.message.key', REDACTED),
        consumerHook: (span) => span.setAttribute('messaging.kafka.message.key', REDACTED),
      }),
      // pg: statements are recorded with $n placeholders only; parameter values never are.
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
      // ioredis: only the command and key, never the values written (profiles hold PII).
      new IORedisInstrumentation({ dbStatementSerializer: redisStatement }),
    ],
  });
  sdk.start();
  return sdk;
}

/** Flush and stop; called on shutdown so the last spans are not lost. */
export async function shutdownTelemetry(): Promise<void> {
  const current = sdk;
  sdk = undefined;
  await current?.shutdown();
}
