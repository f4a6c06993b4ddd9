/**
 * A dense 0..n-1 index for string ids (users, items, terms). Indices are assigned in first-seen
 * order and never change, so arrays indexed by them stay valid while the map grows.
 */
export class IndexMap {
  private readonly byId = new Map<string, number>();
  private readonly list: string[] = [];

  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.getOrAdd(id);
  }

  get size(): number {
    return this.list.length;
  }

  /** The index of id, or -1 when unknown. */
  indexOf(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  getOrAdd(id: string): number {
    let index = this.byId.get(id);
    if (index === undefined) {
      index = this.list.length;
      this.byId.set(id, index);
      this.list.push(id);
    }
    return index;
  }

  idAt(index: number): string {
    const id = this.list[index];
    if (id === undefined) throw new RangeError(`no id at index ${index}`);
    return id;
  }

  ids(): readonly string[] {
    return this.list;
  }
}
