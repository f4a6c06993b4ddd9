/** Why an identity operation (an admin request, an unmerge) could not be done. */
export const IdentityErrorCode = {
  ProfileNotFound: 'PROFILE_NOT_FOUND',
  MergeNotFound: 'MERGE_NOT_FOUND',
  MergeAlreadyReverted: 'MERGE_ALREADY_REVERTED',
  /** The survivor was itself merged away later; that later merge must be undone first. */
  SurvivorMergedAway: 'SURVIVOR_MERGED_AWAY',
  /** The merged profile's history is missing, so it cannot be restored. */
  NoSnapshot: 'NO_SNAPSHOT',
  InvalidRequest: 'INVALID_REQUEST',
  ReviewNotFound: 'REVIEW_NOT_FOUND',
  /** The review was already merged or rejected. */
  ReviewDecided: 'REVIEW_DECIDED',
  /** The merge policy's guard rails refuse the merge (audited in merge_refusals). */
  MergeRefused: 'MERGE_REFUSED',
} as const;
export type IdentityErrorCode = (typeof IdentityErrorCode)[keyof typeof IdentityErrorCode];

/**
 * The identity feature's one exception class. None of these can be fixed by retrying the same
 * request (`retriable` is false): the message says what is wrong and what to do instead.
 */
export class IdentityException extends Error {
  readonly retriable = false;

  constructor(
    readonly code: IdentityErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IdentityException';
  }
}
