/**
 * What a failed SMTP hand-over means for the delivery:
 *  - transient: nothing was accepted and trying again later may work (4xx reply, cannot connect);
 *  - permanent: nothing was accepted and trying again will not help (5xx reply, bad envelope,
 *    authentication refused, oversized message);
 *  - unknown: the connection broke or timed out with no final reply — the server may have
 *    accepted the message, so sending again could deliver it twice.
 */
export type SmtpFailureKind = 'transient' | 'permanent' | 'unknown';

export interface SmtpFailure {
  kind: SmtpFailureKind;
  /** For the delivery row and logs: codes only, never addresses. */
  reason: string;
}

/** Errors raised before a connection to the server existed: nothing can have been sent. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'EDNS',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** Errors nodemailer raises for a message or session the server would never take. */
const NEVER_ACCEPTED = new Set(['EAUTH', 'EENVELOPE', 'EMESSAGE', 'EREQUIRETLS']);

export function classifySmtpError(error: unknown): SmtpFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    responseCode?: unknown;
    command?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const command = typeof e.command === 'string' ? e.command : undefined;
  const where = [code, command].filter(Boolean).join(' at ');
  if (typeof e.responseCode === 'number') {
    const reply = `SMTP ${e.responseCode}${where ? ` (${where})` : ''}`;
    if (e.responseCode >= 400 && e.responseCode < 500) return { kind: 'transient', reason: reply };
    if (e.responseCode >= 500) return { kind: 'permanent', reason: reply };
  }
  if (code && NOT_CONNECTED.has(code))
    return { kind: 'transient', reason: `cannot reach the SMTP server (${code})` };
  if (code && NEVER_ACCEPTED.has(code))
    return { kind: 'permanent', reason: `SMTP refused (${where})` };
  return { kind: 'unknown', reason: `SMTP hand-over broke off${where ? ` (${where})` : ''}` };
}
