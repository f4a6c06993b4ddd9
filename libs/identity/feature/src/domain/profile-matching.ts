import type { JsonObject } from '@kairos/contracts';
import type { ProfileState } from '../profile-state';
import {
  blockingKeys,
  toMatchRecord,
  type Field,
  type MatchDecision,
  type MatchRecord,
  type PairComparison,
  type PairScore,
} from './matching';

/**
 * Where probabilistic matching reads a profile from. Names, birthday, phone and email are the
 * typed fields; the postal address is the identify trait `address`
 * ({street, city, postal_code, country}), kept as-is in `traits.address` (last-write-wins on the
 * whole object, like any trait) rather than in typed columns: it is read only here, and the
 * ProfileChanged contract stays unchanged. Only `street` and `postal_code` (or `postalCode`)
 * are compared; city and country add little beyond the postcode.
 */
export function profileMatchRecord(profileId: string, state: ProfileState): MatchRecord {
  const address = objectOf(state.traits.address);
  return toMatchRecord({
    id: profileId,
    firstName: state.fields.firstName,
    lastName: state.fields.lastName,
    birthday: state.fields.birthday,
    phone: state.fields.phone,
    email: state.fields.email,
    street: textOf(address?.street),
    postcode: textOf(address?.postal_code ?? address?.postalCode),
  });
}

/** The blocking keys a profile is indexed under (blocking_keys rows). */
export function profileBlockingKeys(profileId: string, state: ProfileState): string[] {
  return blockingKeys(profileMatchRecord(profileId, state));
}

/** Whether a change of state can change any match decision about the profile. */
export function matchingInputsChanged(before: ProfileState, after: ProfileState): boolean {
  // The same (empty) id on both sides: only the compared values count.
  return (
    JSON.stringify(profileMatchRecord('', before)) !== JSON.stringify(profileMatchRecord('', after))
  );
}

/** A pair in canonical order (match_reviews has CHECK profile_a < profile_b). */
export function orderedPair(x: string, y: string): [string, string] {
  return x < y ? [x, y] : [y, x];
}

/**
 * What a match_reviews row keeps about a pair: each field's agreement level and weight, never
 * the values (the review screen looks the two profiles up for those).
 */
export interface ComparisonSummary {
  fields: Record<Field, { level: string; weight: number }>;
  namesSwapped: boolean;
}

const FIELDS: Field[] = ['firstName', 'lastName', 'birthDate', 'phone', 'location', 'email'];

export function summarizeComparison(result: PairComparison & PairScore): ComparisonSummary {
  const fields = Object.fromEntries(
    FIELDS.map((f) => [f, { level: result[f], weight: round(result.weights[f]) }]),
  ) as ComparisonSummary['fields'];
  return { fields, namesSwapped: result.namesSwapped };
}

/**
 * The evidence a summary stands for: the agreement levels (weights follow from levels). Two
 * summaries with the same evidence are the same reason to think two profiles are one person.
 */
export function evidenceOf(summary: ComparisonSummary): string {
  const levels = FIELDS.map((f) => `${f}=${summary.fields[f]?.level ?? 'missing'}`);
  return [...levels, `swapped=${summary.namesSwapped}`].join(';');
}

export type PairAction = 'merge' | 'review' | 'none';

/**
 * What to do about a scored pair, given the operators' earlier "not the same person" verdicts
 * on it (rejected reviews, and unmerges, which are recorded as rejected reviews):
 * - no verdict: the model decides — match → merge, review → review, else nothing;
 * - a verdict on the same evidence: nothing (a rejection is not re-opened by what it rejected);
 * - a verdict on other evidence: at most a review — an operator's "no" outranks the model, so a
 *   pair once rejected is never merged automatically, only shown again because something changed.
 */
export function pairAction(
  decision: MatchDecision,
  summary: ComparisonSummary,
  rejected: readonly ComparisonSummary[],
): PairAction {
  if (decision === 'non-match') return 'none';
  if (rejected.length === 0) return decision === 'match' ? 'merge' : 'review';
  const evidence = evidenceOf(summary);
  if (rejected.some((r) => evidenceOf(r) === evidence)) return 'none';
  return 'review';
}

function round(weight: number): number {
  if (!Number.isFinite(weight)) return weight < 0 ? -999 : 999;
  return Math.round(weight * 1000) / 1000;
}

function objectOf(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

function textOf(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
