// Probabilistic matching over all profiles: `nx run identity-resolution:match-batch`.
// Pages through profiles by id, stores each one's blocking keys and matches it exactly as the
// service does after an identify (auto-merge at the upper threshold, a review between the two).
// Safe while the service runs. Its outbox rows are published before it exits (and otherwise by
// the service's relay). Prints progress per page and the final counts as JSON; exits non-zero on
// failure. Usage: … match-batch.js [--page-size 500]
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@kairos/config';
import { MatchBatchService } from '@kairos/identity/feature';
import { AppModule } from './app.module';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'page-size': { type: 'string', default: '500' } } });
  const pageSize = Number(values['page-size']);
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new Error(`--page-size must be a positive whole number, got "${values['page-size']}"`);
  const config = loadConfig('identity-resolution');
  // An application context: the service's providers (outbox relay included), no HTTP server
  // and no Kafka consumer.
  const app = await NestFactory.createApplicationContext(AppModule.register(config), {
    logger: ['error', 'warn'],
  });
  try {
    const started = Date.now();
    const counts = await app.get(MatchBatchService).run({
      pageSize,
      onPage: (p) =>
        console.error(
          `… ${p.profiles} profiles matched: ${p.merges} merged, ${p.reviews} reviews, ${p.refused} refused`,
        ),
    });
    console.log(JSON.stringify({ ...counts, elapsedMs: Date.now() - started }));
  } finally {
    // Drains the outbox (the relay's shutdown hook) before closing connections.
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error('match-batch failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
