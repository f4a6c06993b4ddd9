// Re-drive events ingest turned away (events.rejected.v1, and dead-letter.v1 entries from
// events.raw.v1) back onto events.raw.v1 after the cause is fixed.
//   nx run ingest:redrive -- [--since 2026-11-23T00:00:00Z] [--code SCHEMA_VIOLATION]... [--limit N] [--apply]
// Dry run unless --apply. Prints one line per event (position, code, reason) — never payloads.
import { parseArgs } from 'node:util';
import { loadConfig } from '@kairos/config';
import { redriveRejected } from '@kairos/ingest/feature';
import { KafkaPublisher } from '@kairos/messaging';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      since: { type: 'string' },
      code: { type: 'string', multiple: true },
      limit: { type: 'string' },
      apply: { type: 'boolean', default: false },
    },
  });
  const since = values.since ? new Date(values.since) : undefined;
  if (since && Number.isNaN(since.getTime())) {
    console.error(`--since must be an ISO-8601 time, got ${JSON.stringify(values.since)}`);
    return 2;
  }
  const limit = values.limit ? Number(values.limit) : undefined;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    console.error(`--limit must be a positive integer, got ${JSON.stringify(values.limit)}`);
    return 2;
  }
  const config = loadConfig('ingest');
  const publisher = new KafkaPublisher(config.kafka, 'kairos/ingest-redrive');
  try {
    const report = await redriveRejected(config.kafka, publisher, {
      since,
      codes: values.code,
      limit,
      apply: values.apply ?? false,
    });
    for (const c of report.candidates) {
      console.log(`${c.source}\tp${c.partition}@${c.offset}\t${c.code}\t${c.reason.slice(0, 160)}`);
    }
    console.log(
      `${report.candidates.length} event(s) selected, ${report.skipped} skipped, ${report.published} re-driven` +
        (values.apply ? '' : ' (dry run: add --apply to publish)'),
    );
    return 0;
  } finally {
    await publisher.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`redrive failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
