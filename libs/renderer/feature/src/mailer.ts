import { Logger } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** RFC 5322 Message-ID, angle brackets included. */
  messageId: string;
  headers: Record<string, string>;
}

/** The ESP port: SMTP first; an HTTP ESP (SES, SendGrid, …) is another implementation. */
export interface Mailer {
  /** Resolves once the server accepted the message; rejects with the transport's error. */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  close(): void;
}

/** Nest token for the {@link Mailer}. */
export const MAILER = Symbol('kairos.renderer.mailer');

/**
 * nodemailer over SMTP. Timeouts are far below nodemailer's defaults (minutes), so a stuck
 * server fails the attempt while the Kafka consumer is still within its session; the URL's
 * query string can override them (e.g. `?socketTimeout=60000`).
 */
export class SmtpMailer implements Mailer {
  private readonly logger = new Logger(SmtpMailer.name);
  private readonly transport: Transporter;

  constructor(url: string) {
    this.transport = createTransport({
      url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const info = (await this.transport.sendMail({
      from: email.from,
      to: email.to,
      subject: email.subject,
      html: email.html,
      text: email.text,
      messageId: email.messageId,
      headers: email.headers,
    })) as { messageId?: string };
    return { messageId: info.messageId ?? email.messageId };
  }

  close(): void {
    try {
      this.transport.close();
    } catch (error) {
      this.logger.warn(
        `closing the SMTP transport failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
