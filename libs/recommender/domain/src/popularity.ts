import type { IndexMap } from './index-map';
import { eventWeight, type InteractionEvent, type InteractionWeighting } from './interactions';

export interface RankedItem {
  itemIndex: number;
  score: number;
}

/**
 * Time-decayed trending: an item's score is Σ over its events of weight(kind) · 0.5^(age /
 * half-life) at the reference time. A short half-life (days) makes it "trending"; Infinity makes
 * it all-time popularity. Ranked overall and within each category.
 */
export class PopularityModel {
  private constructor(
    /** Score by item index (0 for items without events). */
    readonly scores: Float64Array,
    private readonly categories: readonly string[],
  ) {}

  /**
   * @param items the catalogue index; events of items outside it are ignored.
   * @param categories category by item index ('' when unknown).
   */
  static fit(
    events: Iterable<InteractionEvent>,
    items: IndexMap,
    categories: readonly string[],
    weighting: InteractionWeighting,
  ): PopularityModel {
    const scores = new Float64Array(items.size);
    for (const event of events) {
      const i = items.indexOf(event.itemId);
      if (i >= 0) scores[i] += eventWeight(event, weighting);
    }
    return new PopularityModel(scores, categories);
  }

  /** The n best items (score > 0), optionally in one category; ties by item index. */
  top(
    n: number,
    options: { category?: string; exclude?: (itemIndex: number) => boolean } = {},
  ): RankedItem[] {
    const ranked: RankedItem[] = [];
    for (let i = 0; i < this.scores.length; i++) {
      if (!(this.scores[i] > 0)) continue;
      if (options.category !== undefined && this.categories[i] !== options.category) continue;
      if (options.exclude?.(i)) continue;
      ranked.push({ itemIndex: i, score: this.scores[i] });
    }
    ranked.sort((a, b) => b.score - a.score || a.itemIndex - b.itemIndex);
    return ranked.slice(0, n);
  }

  /** Top n of every category that has scored items. */
  topByCategory(n: number): Map<string, RankedItem[]> {
    const result = new Map<string, RankedItem[]>();
    for (const category of new Set(this.categories)) {
      const top = this.top(n, { category });
      if (top.length > 0) result.set(category, top);
    }
    return result;
  }
}
