import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { EventTypes, Topics, type MessageOutcome, type MessageRequested } from '@kairos/contracts';
import { RetriableError } from '@kairos/messaging';
import { Outbox, OutboxRelay } from '@kairos/persistence';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { DataSource } from 'typeorm';
import { decideClaim } from './delivery-claim';
import { DeliveryRepository } from './delivery.repository';
import { listUnsubscribeHeaders, messageIdFor, unsubscribeUrl } from './email-headers';
import { selectVariants } from './domain/block-selection';
import { checkEmail } from './domain/quality-gate';
import { EmailRenderer, type RenderedEmail } from './email-renderer';
import { buildScope, factsOf } from './email-scope';
import { HotDataReader } from './hot-data.reader';
import type { HotSendData, Recipient } from './hot-profile';
import { MAILER, type Mailer } from './mailer';
import { RENDERER_CONFIG, type RendererConfig } from './renderer.config';
import { classifySmtpError } from './smtp-failure';
import { TemplateCatalog } from './template-catalog.service';

const tracer = trace.getTracer('@kairos/renderer');

/** What happened to one request, for logs and tests. */
export type SendResult = 'sent' | 'held' | 'suppressed' | 'failed' | 'duplicate';

type Settlement =
  | { status: 'sent'; messageId: string }
  | { status: 'held'; reason: string; outcome: 'held' | 'suppressed' }
  | { status: 'failed'; reason: string };

/**
 * Turns one message request into at most one email.
 *
 *  1. Claim (transaction): insert the delivery as 'sending' under the idempotency key. A key
 *     already sent or held is a duplicate; one left 'sending' by an earlier attempt may have
 *     reached SMTP, so it is held for review (outcome 'held') and never sent again.
 *  2. Read the hot profile, traits, segments and recommendations in one Redis round trip.
 *  3. Check the recipient (address, consent: checked again right before sending); pick block
 *     variants by the content rules, render, and pass the quality gate — an email that fails
 *     it (or whose template cannot render) is held with the reason, never sent.
 *  4. Hand over to SMTP (Message-ID derived from the idempotency key).
 *  5. Settle (transaction): status and the MessageOutcome in the outbox, then kick the relay.
 *
 * If anything fails before the hand-over, the delivery becomes 'failed' + retriable and the
 * error is retriable: nothing was sent, so the next attempt may re-claim it. A crash between
 * 4 and 5 leaves 'sending', which step 1 of the redelivery turns into 'held'.
 */
@Injectable()
export class SendMessageUseCase {
  private readonly logger = new Logger(SendMessageUseCase.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RENDERER_CONFIG) private readonly config: RendererConfig,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(EmailRenderer) private readonly renderer: EmailRenderer,
    private readonly deliveries: DeliveryRepository,
    private readonly catalog: TemplateCatalog,
    private readonly hotData: HotDataReader,
  ) {}

  async execute(request: MessageRequested): Promise<SendResult> {
    const claimed = await this.claim(request);
    if (claimed.action === 'duplicate') return 'duplicate';
    if (claimed.action === 'hold') {
      this.logger.warn(
        `delivery ${claimed.deliveryId} (request ${request.requestId}) held: ${claimed.reason}`,
      );
      return 'held';
    }
    const { deliveryId } = claimed;

    let prepared: { to: string; email: RenderedEmail } | undefined;
    let settlement: Settlement | undefined;
    try {
      const hot = await this.hotData.read(request.profileId);
      const recipient = hot.recipient;
      if (!recipient) {
        settlement = {
          status: 'held',
          reason: 'no hot profile for the recipient',
          outcome: 'held',
        };
      } else if (!recipient.email) {
        settlement = { status: 'held', reason: 'recipient has no email address', outcome: 'held' };
      } else if (recipient.emailConsent === 'unsubscribed') {
        settlement = {
          status: 'held',
          reason: 'recipient unsubscribed from email',
          outcome: 'suppressed',
        };
      } else {
        const rendered = await this.render(request, deliveryId, recipient, hot);
        if (typeof rendered === 'string')
          settlement = { status: 'held', reason: rendered, outcome: 'held' };
        else prepared = { to: recipient.email, email: rendered };
      }
    } catch (error) {
      // Nothing has been sent: fail retriably, so the redelivery can claim it again.
      await this.failRetriably(deliveryId, `before sending: ${describe(error)}`);
      throw new RetriableError(
        'SEND_PREPARATION_FAILED',
        `request ${request.requestId}: ${describe(error)}`,
      );
    }

    if (prepared) settlement = await this.send(request, deliveryId, prepared.to, prepared.email);
    if (!settlement) throw new Error('unreachable: no settlement');
    await this.settle(request, deliveryId, settlement);
    return settlement.status === 'held' ? settlement.outcome : settlement.status;
  }

  private async claim(
    request: MessageRequested,
  ): Promise<
    | { action: 'send'; deliveryId: string }
    | { action: 'duplicate' }
    | { action: 'hold'; deliveryId: string; reason: string }
  > {
    const now = this.clock.now();
    const result = await this.dataSource.transaction(async (manager) => {
      const claim = await this.deliveries.claim(manager, {
        id: randomUUID(),
        requestId: request.requestId,
        idempotencyKey: request.idempotencyKey,
        profileId: request.profileId,
        trigger: request.trigger,
        template: request.template,
        createdAt: now,
      });
      const decision = decideClaim(claim.inserted ? undefined : claim.existing);
      if (decision.action === 'duplicate') return { action: 'duplicate' as const };
      if (decision.action === 'hold') {
        await this.deliveries.markHeld(manager, claim.id, decision.reason, now);
        await this.addOutcome(manager, request, { status: 'held', reason: decision.reason }, now);
        return { action: 'hold' as const, deliveryId: claim.id, reason: decision.reason };
      }
      if (!claim.inserted) await this.deliveries.markSending(manager, claim.id, now);
      return { action: 'send' as const, deliveryId: claim.id };
    });
    if (result.action === 'hold') this.relay.kick();
    return result;
  }

  /**
   * The rendered email, or why it must not be sent (held for a human: retrying the same
   * template on the same data cannot help). Only the newest approved version is used.
   */
  private async render(
    request: MessageRequested,
    deliveryId: string,
    recipient: Recipient,
    hot: HotSendData,
  ): Promise<RenderedEmail | string> {
    const template = await this.catalog.latestApproved(request.template);
    if (!template) return `no approved template "${request.template}"`;
    const { name, version } = template.head;
    const content = await this.catalog.live();
    const now = this.clock.now();
    const facts = factsOf({
      recipient,
      computedTraits: hot.computedTraits,
      segments: hot.segments,
    });
    const choices = selectVariants(template.blocks, content.rules, facts, now);
    const url = unsubscribeUrl(this.config.publicBaseUrl, deliveryId);
    let email: RenderedEmail;
    try {
      email = this.renderer.render(
        template.prepared,
        buildScope(
          {
            recipient,
            computedTraits: hot.computedTraits,
            segments: hot.segments,
            cart: request.cart,
            recommendations: hot.recommendations,
            unsubscribeUrl: url,
            data: request.data,
            brand: this.catalog.brandOf(content, template.head.brandKey),
            now,
          },
          facts,
        ),
        choices,
      );
    } catch (error) {
      return `template "${name}" v${version} failed to render: ${describe(error)}`;
    }
    for (const block of email.blocks.filter((b) => b.fellBack)) {
      this.logger.warn(
        `delivery ${deliveryId}: block "${block.block}" variant "${block.variant}" of ${name} v${version} fell back to its default: ${block.reason ?? ''}`,
      );
    }
    const problems = checkEmail({
      subject: email.subject,
      html: email.html,
      text: email.text,
      headers: listUnsubscribeHeaders(url),
      unsubscribeUrl: url,
      requiredBlocks: email.requiredBlocks,
    });
    if (problems.length)
      return `quality gate failed for template "${name}" v${version}: ${problems.join('; ')}`;
    return email;
  }

  private async send(
    request: MessageRequested,
    deliveryId: string,
    to: string,
    email: RenderedEmail,
  ): Promise<Settlement> {
    const messageId = messageIdFor(request.idempotencyKey, this.config.smtpFrom);
    const span = tracer.startSpan('smtp send', {
      kind: SpanKind.CLIENT,
      attributes: { 'kairos.delivery.id': deliveryId, 'kairos.request.id': request.requestId },
    });
    try {
      const info = await this.mailer.send({
        from: this.config.smtpFrom,
        to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        messageId,
        headers: listUnsubscribeHeaders(unsubscribeUrl(this.config.publicBaseUrl, deliveryId)),
      });
      return { status: 'sent', messageId: info.messageId };
    } catch (error) {
      const failure = classifySmtpError(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.kind });
      if (failure.kind === 'transient') {
        await this.failRetriably(deliveryId, failure.reason);
        throw new RetriableError(
          'SMTP_TRANSIENT',
          `request ${request.requestId}: ${failure.reason}`,
        );
      }
      if (failure.kind === 'permanent') return { status: 'failed', reason: failure.reason };
      return {
        status: 'held',
        reason: `${failure.reason}; the email may have been sent, needs review`,
        outcome: 'held',
      };
    } finally {
      span.end();
    }
  }

  private async settle(
    request: MessageRequested,
    deliveryId: string,
    settlement: Settlement,
  ): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      switch (settlement.status) {
        case 'sent':
          await this.deliveries.markSent(manager, deliveryId, settlement.messageId, now);
          await this.addOutcome(
            manager,
            request,
            { status: 'sent', messageId: settlement.messageId },
            now,
          );
          break;
        case 'held':
          await this.deliveries.markHeld(manager, deliveryId, settlement.reason, now);
          await this.addOutcome(
            manager,
            request,
            { status: settlement.outcome, reason: settlement.reason },
            now,
          );
          break;
        case 'failed':
          await this.deliveries.markFailed(manager, deliveryId, settlement.reason, false, now);
          await this.addOutcome(
            manager,
            request,
            { status: 'failed', reason: settlement.reason },
            now,
          );
          break;
      }
    });
    this.relay.kick();
    if (settlement.status !== 'sent') {
      this.logger.warn(
        `delivery ${deliveryId} (request ${request.requestId}) ${settlement.status}: ${settlement.reason}`,
      );
    }
  }

  private async failRetriably(deliveryId: string, reason: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction((manager) =>
      this.deliveries.markFailed(manager, deliveryId, reason, true, now),
    );
  }

  private async addOutcome(
    manager: Parameters<Outbox['add']>[0],
    request: MessageRequested,
    result: Pick<MessageOutcome, 'status' | 'reason' | 'messageId'>,
    now: Date,
  ): Promise<void> {
    const outcome: MessageOutcome = {
      requestId: request.requestId,
      idempotencyKey: request.idempotencyKey,
      profileId: request.profileId,
      trigger: request.trigger,
      ...result,
      at: now.toISOString(),
    };
    await this.outbox.add(manager, Topics.MessagesOutcomes, [
      { key: request.profileId, value: outcome, type: EventTypes.MessageOutcome },
    ]);
  }
}

/** Error name and message: SMTP and Redis errors carry codes, not recipient data. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
