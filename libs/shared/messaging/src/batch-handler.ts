/**
 * Opt-in batch handling. A handler declared with
 *
 *   @EventPattern(Topics.X, batchHandler({ maxMessages: 100 }))
 *   async onXs(@Payload() payloads: unknown[], @Ctx() ctx: KafkaBatchContext) { ... }
 *
 * gets runs of up to `maxMessages` consecutive messages of one partition at once (in offset
 * order), so it can do their work in one round trip / one transaction instead of one each.
 *
 * Contract (what keeps at-least-once, order and poison isolation): the handler must either
 * complete the whole run or throw having committed nothing it cannot redo idempotently. On a
 * throw the transport hands the run's messages to the same handler again one at a time
 * (`payloads` of length 1), each with the usual retries and dead-lettering, so one bad message
 * still only costs itself. Offsets are committed only after the run is done either way.
 */
export const BATCH_HANDLER_EXTRAS = 'kairosBatch';

export interface BatchHandlerOptions {
  /** The most messages in one call (a run is also cut at the end of the fetched batch). */
  maxMessages: number;
}

/** The `extras` argument of `@EventPattern` for a batch handler. */
export function batchHandler(options: BatchHandlerOptions): Record<string, unknown> {
  if (!(Number.isInteger(options.maxMessages) && options.maxMessages > 0))
    throw new Error('batchHandler: maxMessages must be a positive integer');
  return { [BATCH_HANDLER_EXTRAS]: options };
}

/** The batch options a registered handler was declared with, if it is a batch handler. */
export function batchOptionsOf(
  handler: { extras?: Record<string, unknown> } | null | undefined,
): BatchHandlerOptions | undefined {
  const options = handler?.extras?.[BATCH_HANDLER_EXTRAS] as BatchHandlerOptions | undefined;
  return options && options.maxMessages > 0 ? options : undefined;
}
