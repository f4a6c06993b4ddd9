import { IndexMap, type InteractionEvent } from '@kairos/recommender/domain';
import type { InteractionKind } from './interaction-signals';
import { toDomainKind } from './trained-model';

/**
 * Interaction events held compactly (ids interned, one number per field) instead of one object
 * per event, so training can hold millions of them. Iterating yields domain events and starts
 * over each time (training reads them once for the matrix and once for popularity).
 */
export class InteractionLog implements Iterable<InteractionEvent> {
  private readonly profiles = new IndexMap();
  private readonly products = new IndexMap();
  private readonly profileIdx: number[] = [];
  private readonly productIdx: number[] = [];
  private readonly kinds: InteractionKind[] = [];
  private readonly times: number[] = [];

  get size(): number {
    return this.times.length;
  }

  add(profileId: string, productId: string, kind: InteractionKind, at: number): void {
    this.profileIdx.push(this.profiles.getOrAdd(profileId));
    this.productIdx.push(this.products.getOrAdd(productId));
    this.kinds.push(kind);
    this.times.push(at);
  }

  /** Earliest and latest event time (undefined when empty). */
  span(): { first: number; last: number } | undefined {
    if (this.times.length === 0) return undefined;
    let first = Infinity;
    let last = -Infinity;
    for (const t of this.times) {
      if (t < first) first = t;
      if (t > last) last = t;
    }
    return { first, last };
  }

  *[Symbol.iterator](): Iterator<InteractionEvent> {
    for (let e = 0; e < this.times.length; e++) {
      yield {
        userId: this.profiles.idAt(this.profileIdx[e]),
        itemId: this.products.idAt(this.productIdx[e]),
        kind: toDomainKind(this.kinds[e]),
        at: this.times[e],
      };
    }
  }
}
