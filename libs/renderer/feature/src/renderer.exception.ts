/** What can go wrong in the renderer's admin and unsubscribe APIs. */
export enum RendererErrorCode {
  /** The request body or a path parameter is invalid; the message says what to fix. */
  Invalid = 'INVALID',
  /** The template (MJML or Liquid) does not compile; the message lists every problem. */
  TemplateInvalid = 'TEMPLATE_INVALID',
  NotFound = 'NOT_FOUND',
  /** A name is taken, or a concurrent change won. Retrying may help for the latter. */
  Conflict = 'CONFLICT',
}

/** The renderer feature's exception; none of these is retriable as-is (the input must change). */
export class RendererException extends Error {
  readonly retriable = false;

  constructor(
    readonly code: RendererErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RendererException';
  }
}
