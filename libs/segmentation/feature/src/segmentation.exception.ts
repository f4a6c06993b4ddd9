import type { ValidationIssue } from '@kairos/segmentation/domain';

/** Why a segment admin request could not be done. */
export const SegmentationErrorCode = {
  InvalidRequest: 'INVALID_REQUEST',
  /** The definition breaks the segment language; `issues` say where (JSON paths). */
  InvalidDefinition: 'INVALID_DEFINITION',
  SegmentNotFound: 'SEGMENT_NOT_FOUND',
  /** The id is taken (ids of deleted segments are never reused: their history keeps them). */
  SegmentExists: 'SEGMENT_EXISTS',
  /** Other segments refer to it with `inSegment`; change or delete those first. */
  SegmentInUse: 'SEGMENT_IN_USE',
  /** A static segment is a snapshot: its rules and kind cannot change. */
  StaticSegmentImmutable: 'STATIC_SEGMENT_IMMUTABLE',
} as const;
export type SegmentationErrorCode =
  (typeof SegmentationErrorCode)[keyof typeof SegmentationErrorCode];

/**
 * The segmentation feature's one exception class. None of these can be fixed by retrying the
 * same request (`retriable` is false): the message says what is wrong and what to do instead.
 */
export class SegmentationException extends Error {
  readonly retriable = false;

  constructor(
    readonly code: SegmentationErrorCode,
    message: string,
    readonly issues: readonly ValidationIssue[] = [],
  ) {
    super(message);
    this.name = 'SegmentationException';
  }
}
