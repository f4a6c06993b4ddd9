// Loaded first by main.ts: OpenTelemetry must patch kafkajs, pg, ioredis and http before
// anything requires them.
import { startTelemetry } from '@kairos/telemetry';

startTelemetry({ serviceName: 'ingest' });
