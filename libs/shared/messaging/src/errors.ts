/**
 * Errors a handler throws to tell the transport what to do with the message (CONVENTIONS.md,
 * "Errors"): a retriable error is retried with backoff a bounded number of times, a permanent
 * one goes to the dead-letter topic at once. Anything else counts as retriable, because an
 * unknown fault (a dropped connection, a deadlock) is more often transient than not — but it is
 * still bounded, so a poison message never blocks its partition.
 */
export abstract class MessagingError extends Error {
  abstract readonly retriable: boolean;
  constructor(
    /** A DeadLetterCode from the contracts, or a feature's own error code. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class RetriableError extends MessagingError {
  readonly retriable = true;
}

export class PermanentError extends MessagingError {
  readonly retriable = false;
}

/** Whether another attempt could succeed. kafkajs marks its own errors with `retriable`. */
export function isRetriable(error: unknown): boolean {
  if (error instanceof MessagingError) return error.retriable;
  if (typeof error === 'object' && error !== null && 'retriable' in error) {
    return Boolean(error.retriable);
  }
  return true;
}

export function errorCode(error: unknown): string {
  if (error instanceof MessagingError) return error.code;
  return 'RETRIES_EXHAUSTED';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String(error.message);
  }
  return String(error);
}
