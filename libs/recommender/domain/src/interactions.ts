import { IndexMap } from './index-map';
import { CsrMatrix } from './sparse-matrix';

/** The implicit-feedback signals the recommender learns from. */
export type InteractionKind = 'view' | 'add_to_cart' | 'purchase' | 'email_click';

export interface InteractionEvent {
  userId: string;
  itemId: string;
  kind: InteractionKind;
  /** Event time, epoch milliseconds. */
  at: number;
}

/**
 * How strongly each kind says "this person wants this item". A purchase says the most; an email
 * click is a deliberate act but weaker than adding to the cart.
 */
export const DEFAULT_INTERACTION_WEIGHTS: Readonly<Record<InteractionKind, number>> = {
  view: 1,
  add_to_cart: 3,
  purchase: 5,
  email_click: 2,
};

export const DAY_MS = 86_400_000;

export interface InteractionWeighting {
  weights: Readonly<Record<InteractionKind, number>>;
  /** After one half-life an event counts half; Infinity disables decay. */
  halfLifeMs: number;
  /**
   * "Now" for the decay. Passed in (never read from a clock here) so training is reproducible;
   * events after it are ignored: they had not happened yet at that time.
   */
  referenceTime: number;
}

/** 0.5^(age / halfLife), 1 for age ≤ 0 or an infinite half-life. */
export function decayFactor(ageMs: number, halfLifeMs: number): number {
  if (ageMs <= 0 || !Number.isFinite(halfLifeMs)) return 1;
  return Math.pow(0.5, ageMs / halfLifeMs);
}

/** The decayed weight of one event at the reference time (0 for events after it). */
export function eventWeight(event: InteractionEvent, weighting: InteractionWeighting): number {
  const age = weighting.referenceTime - event.at;
  if (age < 0) return 0;
  return weighting.weights[event.kind] * decayFactor(age, weighting.halfLifeMs);
}

export interface InteractionMatrix {
  /** users × items, r_ui = Σ decayed event weights (> 0 for every stored entry). */
  matrix: CsrMatrix;
  /** users × items, 1 where the user purchased the item (before the reference time). */
  purchased: CsrMatrix;
  users: IndexMap;
  items: IndexMap;
}

export interface BuildInteractionOptions {
  /** Existing user index to extend (e.g. to keep a model's indices); new users are appended. */
  users?: IndexMap;
  /** Existing item index (the catalog); with `fixedItems` unknown items are dropped. */
  items?: IndexMap;
  fixedItems?: boolean;
}

/** Sums events into the implicit-feedback matrix (pure; order of events does not matter). */
export function buildInteractionMatrix(
  events: Iterable<InteractionEvent>,
  weighting: InteractionWeighting,
  options: BuildInteractionOptions = {},
): InteractionMatrix {
  const users = options.users ?? new IndexMap();
  const items = options.items ?? new IndexMap();
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  const pRows: number[] = [];
  const pCols: number[] = [];
  for (const event of events) {
    const weight = eventWeight(event, weighting);
    if (weight <= 0) continue;
    let item = items.indexOf(event.itemId);
    if (item < 0) {
      if (options.fixedItems) continue;
      item = items.getOrAdd(event.itemId);
    }
    const user = users.getOrAdd(event.userId);
    rows.push(user);
    cols.push(item);
    values.push(weight);
    if (event.kind === 'purchase') {
      pRows.push(user);
      pCols.push(item);
    }
  }
  const matrix = CsrMatrix.fromTriples(users.size, items.size, { rows, cols, values });
  const purchased = CsrMatrix.fromTriples(users.size, items.size, {
    rows: pRows,
    cols: pCols,
    values: new Float32Array(pRows.length).fill(1),
  });
  // Repeated purchases were summed; the purchase matrix is a 0/1 flag.
  purchased.data.fill(1);
  return { matrix, purchased, users, items };
}
