import {
  compareAddress,
  compareBirthDate,
  compareEmail,
  compareFirstName,
  compareLastName,
  comparePhone,
  comparePostcode,
  type DateLevel,
  type EmailLevel,
  type NameLevel,
  type PhoneLevel,
} from './comparators';
import type { MatchRecord } from './match-record';

/**
 * Where a pair lives: street line and postcode are judged together, because they are strongly
 * correlated (summing them as independent evidence would count one shared home twice, and a
 * household would look like one person).
 */
export type LocationLevel =
  'same-address' | 'same-postcode' | 'same-area' | 'different' | 'missing';

export interface PairComparison {
  firstName: NameLevel;
  lastName: NameLevel;
  birthDate: DateLevel;
  phone: PhoneLevel;
  location: LocationLevel;
  email: EmailLevel;
  /** The names agreed better with first and last name swapped on one side. */
  namesSwapped: boolean;
}

export type Field = Exclude<keyof PairComparison, 'namesSwapped'>;

/** m = P(level | same person), u = P(level | different people), per field and level. */
export type MatchModel = {
  [F in Field]: Record<Exclude<PairComparison[F], 'missing'>, { m: number; u: number }>;
} & {
  /**
   * Agreement *given* the same address, where independence fails: a household shares its
   * surname and often a landline, so among different people at one address an equal surname or
   * phone is common (u is high) and adds little evidence beyond the address itself.
   */
  atSameAddress: {
    lastName: Record<'exact' | 'similar' | 'different', { m: number; u: number }>;
    phone: Record<Exclude<PhoneLevel, 'missing'>, { m: number; u: number }>;
  };
};

/**
 * How common a normalized name is among all profiles (0..1), for term-frequency adjusted
 * weights: agreeing on "smith" is weaker evidence than agreeing on "okonkwo". Undefined when
 * unknown (the model's average u is used).
 */
export type NameFrequency = (field: 'firstName' | 'lastName', name: string) => number | undefined;

/**
 * The default model. m and u are set from how such data is known to go wrong (typo rates of a
 * few percent, nicknames in ~5% of given names, day/month swaps in ~2% of dates) and how often
 * unrelated people agree by chance within a blocking group; then checked against
 * bench/identity/match-quality.ts. Two choices matter most for precision:
 * - different given names (beyond typo/nickname) are very strong evidence against: twins and
 *   family members share surname, address, phone and even birth date, but not given names;
 * - street and postcode form one location comparison (see LocationLevel).
 */
export const DEFAULT_MATCH_MODEL: MatchModel = {
  firstName: {
    exact: { m: 0.86, u: 0.01 },
    nickname: { m: 0.05, u: 0.002 },
    similar: { m: 0.06, u: 0.004 },
    initial: { m: 0.02, u: 0.01 },
    different: { m: 0.0002, u: 0.974 },
  },
  lastName: {
    exact: { m: 0.9, u: 0.005 },
    nickname: { m: 0, u: 1 },
    similar: { m: 0.08, u: 0.005 },
    initial: { m: 0.001, u: 0.001 },
    different: { m: 0.019, u: 0.989 },
  },
  birthDate: {
    exact: { m: 0.9, u: 0.0005 },
    transposed: { m: 0.02, u: 0.0002 },
    'one-off': { m: 0.04, u: 0.003 },
    'year-only': { m: 0.01, u: 0.03 },
    // A real person's birth date rarely disagrees beyond a typo or a day/month swap.
    different: { m: 0.005, u: 0.9663 },
  },
  phone: {
    exact: { m: 0.85, u: 0.0005 },
    last7: { m: 0.05, u: 0.0005 },
    different: { m: 0.1, u: 0.999 },
  },
  atSameAddress: {
    lastName: {
      exact: { m: 0.9, u: 0.75 },
      similar: { m: 0.08, u: 0.02 },
      different: { m: 0.02, u: 0.23 },
    },
    phone: {
      exact: { m: 0.85, u: 0.3 },
      last7: { m: 0.05, u: 0.02 },
      different: { m: 0.1, u: 0.68 },
    },
  },
  location: {
    'same-address': { m: 0.75, u: 0.0005 },
    'same-postcode': { m: 0.08, u: 0.003 },
    'same-area': { m: 0.04, u: 0.03 },
    different: { m: 0.13, u: 0.9665 },
  },
  // Pairs that reach probabilistic matching mostly have *different* emails: an equal email
  // already merged them deterministically. So a different email is only weak evidence against.
  email: {
    exact: { m: 0.05, u: 0.0001 },
    'local-part': { m: 0.2, u: 0.001 },
    different: { m: 0.75, u: 0.9989 },
  },
};

export interface MatchThresholds {
  /** At or above: the same person, merged automatically (rule 'probabilistic'). */
  upper: number;
  /** At or above (and below upper): possibly the same person, queued for review. */
  lower: number;
}

/**
 * Chosen with bench/identity/match-quality.ts (20 000 synthetic people, term-frequency name
 * weights), tuned on seed 20250301 and checked on seeds 7 and 99: 13 is the lowest upper
 * threshold keeping pairwise precision >= 99% with a margin on all three; pairs in [8, 13)
 * (precision there is far lower) go to review.
 */
export const DEFAULT_MATCH_THRESHOLDS: MatchThresholds = { upper: 13, lower: 8 };

export type MatchDecision = 'match' | 'review' | 'non-match';

export function compareLocation(a: MatchRecord, b: MatchRecord): LocationLevel {
  const street = compareAddress(a.street, b.street);
  const postcode = comparePostcode(a.postcode, b.postcode);
  if (street === 'missing' && postcode === 'missing') return 'missing';
  const streetAgrees = street === 'exact' || street === 'similar';
  if (streetAgrees && postcode !== 'different') return 'same-address';
  if (postcode === 'exact') return 'same-postcode';
  if (postcode === 'area' && street !== 'different') return 'same-area';
  if (street === 'missing' && postcode === 'area') return 'same-area';
  return 'different';
}

/** Compare two records field by field (names also tried swapped, keeping the better reading). */
export function comparePair(
  a: MatchRecord,
  b: MatchRecord,
  model = DEFAULT_MATCH_MODEL,
): PairComparison {
  const straight = {
    firstName: compareFirstName(a.firstName, b.firstName),
    lastName: compareLastName(a.lastName, b.lastName),
  };
  const swapped = {
    firstName: compareFirstName(a.firstName, b.lastName),
    lastName: compareLastName(a.lastName, b.firstName),
  };
  const nameScore = (n: typeof straight) =>
    levelWeight(model, 'firstName', n.firstName) + levelWeight(model, 'lastName', n.lastName);
  const useSwapped = nameScore(swapped) > nameScore(straight) + SWAP_PENALTY;
  const names = useSwapped ? swapped : straight;
  return {
    ...names,
    birthDate: compareBirthDate(a.birthDate, b.birthDate),
    phone: comparePhone(a.phone, b.phone),
    location: compareLocation(a, b),
    email: compareEmail(a.email, b.email),
    namesSwapped: useSwapped,
  };
}

/** Rarer names than this count as this rare (a name seen once is not proof). */
const MIN_NAME_FREQUENCY = 0.0005;

/** A swapped reading must win by this much: swaps are rarer than agreeing in place. */
const SWAP_PENALTY = 2;

/** log2(m / u) for a level; 0 for missing (no evidence). */
export function levelWeight<F extends Field>(
  model: MatchModel,
  field: F,
  level: PairComparison[F],
): number {
  if (level === 'missing') return 0;
  const p = (model[field] as Record<string, { m: number; u: number }>)[level as string];
  if (!p || p.m === 0) return -Infinity;
  return Math.log2(p.m / p.u);
}

export interface PairScore {
  score: number;
  weights: Record<Field, number>;
}

/**
 * The Fellegi-Sunter match weight: the sum of every field's log-likelihood ratio. With `names`
 * (the two records' normalized names) and a frequency table, an exact name agreement is
 * weighted by how rare the name is: u = max(frequency, floor) instead of the average u.
 */
export function scoreComparison(
  c: PairComparison,
  model = DEFAULT_MATCH_MODEL,
  names?: { firstName: string | null; lastName: string | null },
  frequency?: NameFrequency,
): PairScore {
  const fields: Field[] = ['firstName', 'lastName', 'birthDate', 'phone', 'location', 'email'];
  const weights = Object.fromEntries(fields.map((f) => [f, levelWeight(model, f, c[f])])) as Record<
    Field,
    number
  >;
  const household = c.location === 'same-address';
  if (household && c.phone !== 'missing') {
    const p = model.atSameAddress.phone[c.phone];
    weights.phone = Math.log2(p.m / p.u);
  }
  const sameAddressLast = household ? model.atSameAddress.lastName : undefined;
  if (
    sameAddressLast &&
    (c.lastName === 'exact' || c.lastName === 'similar' || c.lastName === 'different')
  ) {
    const p = sameAddressLast[c.lastName];
    weights.lastName = Math.log2(p.m / p.u);
  }
  if (names && frequency) {
    for (const field of ['firstName', 'lastName'] as const) {
      const name = names[field];
      // At one address the surname's weight is already conditional (see atSameAddress).
      if (c[field] !== 'exact' || !name || (field === 'lastName' && household)) continue;
      // A name counts as common as it is in either role (a swapped pair has it in both).
      const seen = [frequency('firstName', name), frequency('lastName', name)];
      const known = seen.filter((x): x is number => x !== undefined);
      const f = known.length > 0 ? Math.max(...known) : undefined;
      if (f !== undefined)
        weights[field] = Math.log2(model[field].exact.m / Math.max(f, MIN_NAME_FREQUENCY));
    }
  }
  let score = fields.reduce((sum, f) => sum + weights[f], 0);
  if (c.namesSwapped) score -= SWAP_PENALTY;
  return { score, weights };
}

export function decide(score: number, thresholds = DEFAULT_MATCH_THRESHOLDS): MatchDecision {
  if (score >= thresholds.upper) return 'match';
  if (score >= thresholds.lower) return 'review';
  return 'non-match';
}

/** Compare, score and decide one pair. */
export function matchPair(
  a: MatchRecord,
  b: MatchRecord,
  options: { model?: MatchModel; thresholds?: MatchThresholds; frequency?: NameFrequency } = {},
): PairComparison & PairScore & { decision: MatchDecision } {
  const model = options.model ?? DEFAULT_MATCH_MODEL;
  const thresholds = options.thresholds ?? DEFAULT_MATCH_THRESHOLDS;
  const comparison = comparePair(a, b, model);
  const names = comparison.namesSwapped
    ? { firstName: b.lastName, lastName: b.firstName }
    : { firstName: a.firstName, lastName: a.lastName };
  const scored = scoreComparison(comparison, model, names, options.frequency);
  return { ...comparison, ...scored, decision: decide(scored.score, thresholds) };
}
