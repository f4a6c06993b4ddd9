/**
 * The README's main job: start all six services against the local stack, replay a short
 * sample of shop events, move the trigger-scheduler's clock four hours on, and print what
 * happened and where each email went (also written to out/emails as .eml files).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Topics, physicalTopic } from '@kairos/contracts';
import {
  collectMessages,
  createNamespacedTopics,
  findWorkspaceRoot,
  launchServices,
  pgQuery,
  startSmtpSink,
  testKafka,
  waitFor,
  type LaunchedPlatform,
} from '@kairos/testing';
import { sampleEvents } from './sample-store';

const ROOT = findWorkspaceRoot();
const FOUR_HOURS_AND_A_MINUTE = 4 * 3600_000 + 60_000;

function step(text: string): void {
  console.log(`\n▸ ${text}`);
}

async function main(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const ns = `demo_${runId}`;
  const outDir = join(ROOT, 'out', ns);
  const mailDir = join(outDir, 'emails');
  mkdirSync(mailDir, { recursive: true });
  const adminToken = randomBytes(24).toString('hex');

  step(`namespace ${ns}: creating topics`);
  await createNamespacedTopics(ns);

  const smtp = await startSmtpSink((mail) => {
    const file = join(mailDir, `${mail.envelopeTo.join('_')}.eml`);
    writeFileSync(file, mail.raw);
  });
  console.log(`  SMTP server listening on 127.0.0.1:${smtp.port}`);

  step('starting the six services (built output, one process each)');
  let platform: LaunchedPlatform | undefined;
  try {
    platform = await launchServices({
      logDir: join(outDir, 'logs'),
      schemaPrefix: ns,
      env: { KAIROS_NAMESPACE: ns, KAIROS_ADMIN_TOKEN: adminToken, KAIROS_OUTBOX_POLL_MS: '100' },
      serviceEnv: {
        // Quiet hours off so the demo gives the same emails whatever the time of day.
        'trigger-scheduler': {
          KAIROS_CLOCK: 'controllable',
          KAIROS_SCHEDULER_POLL_MS: '200',
          KAIROS_QUIET_HOURS: 'off',
        },
        renderer: { KAIROS_SMTP_URL: smtp.url },
      },
    });
    for (const s of Object.values(platform.services))
      console.log(`  ${s.name.padEnd(20)} ${s.url}`);

    const rejected = await collectMessages(
      [physicalTopic(Topics.EventsRejected, ns)],
      `${ns}.demo-rejected`,
    );
    const events = sampleEvents(new Date(), runId);
    step(`replaying ${events.length} sample events onto ${physicalTopic(Topics.EventsRaw, ns)}`);
    const producer = testKafka('demo-shop').producer();
    await producer.connect();
    for (const e of events) {
      const key = String(e.payload.userId ?? e.payload.anonymousId);
      await producer.send({
        topic: physicalTopic(Topics.EventsRaw, ns),
        acks: -1,
        messages: [{ key, value: JSON.stringify(e.payload) }],
      });
    }
    await producer.disconnect();

    step('waiting for the pipeline to settle (profiles resolved, cart timers armed)');
    const cartTimers = async (state: string) =>
      Number(
        (
          await pgQuery<{ count: string }>(
            `SELECT count(*) FROM "${ns}_scheduler".timers WHERE kind = 'abandoned_cart' AND state = $1`,
            [state],
          )
        )[0].count,
      );
    // Ann, Cleo and Dan leave carts; Ben's order cancels his.
    await waitFor(
      async () => (await cartTimers('armed')) === 3 && (await cartTimers('cancelled')) === 1,
      {
        timeoutMs: 60_000,
        intervalMs: 250,
        description: 'three armed cart timers and one cancelled',
      },
    );

    step('moving the trigger-scheduler clock 4 hours forward');
    const response = await fetch(`${platform.services['trigger-scheduler'].url}/admin/clock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: FOUR_HOURS_AND_A_MINUTE }),
    });
    console.log(`  scheduler clock is now ${((await response.json()) as { now: string }).now}`);

    await waitFor(async () => (await cartTimers('armed')) === 0 && smtp.mails.length >= 2, {
      timeoutMs: 60_000,
      intervalMs: 250,
      description: 'the due cart timers to fire and emails to arrive',
    });

    await summarize(ns, smtp.mails.length, rejected.messages.length, mailDir, smtp.port);
    await rejected.stop();
  } finally {
    await platform?.stop();
    await smtp.close();
  }
}

async function summarize(
  ns: string,
  emails: number,
  rejected: number,
  mailDir: string,
  smtpPort: number,
): Promise<void> {
  const count = async (sql: string) => Number((await pgQuery<{ count: string }>(sql))[0].count);
  const profiles = await count(`SELECT count(*) FROM "${ns}_identity".profiles`);
  const identifiers = await count(`SELECT count(*) FROM "${ns}_identity".identifiers`);
  const decisions = await pgQuery<{ decision: string; reason: string | null; n: string }>(
    `SELECT decision, reason, count(*) AS n FROM "${ns}_scheduler".decisions GROUP BY decision, reason ORDER BY decision`,
  );
  const deliveries = await pgQuery<{ status: string; n: string }>(
    `SELECT status, count(*) AS n FROM "${ns}_renderer".deliveries GROUP BY status`,
  );
  step('what happened');
  console.log(`  events rejected by ingest:  ${rejected}`);
  console.log(`  unified profiles:           ${profiles} (from ${identifiers} identifiers)`);
  for (const d of decisions)
    console.log(
      `  trigger decisions:          ${d.n} × ${d.decision}${d.reason ? ` (${d.reason})` : ''}`,
    );
  for (const d of deliveries) console.log(`  deliveries:                 ${d.n} × ${d.status}`);
  console.log(`  emails received by SMTP:    ${emails} (server 127.0.0.1:${smtpPort})`);
  step(`where the emails went: ${mailDir}`);
  console.log('  (one .eml per recipient; open them in any mail client)');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
