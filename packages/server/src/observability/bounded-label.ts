/**
 * A label value from an open set (policy rules, requesters) kept bounded: the first `limit`
 * distinct values are kept (cut to 64 characters), later new ones count as `other`, so no caller
 * can grow the metrics without bound.
 */
export class BoundedLabel {
  readonly #seen = new Set<string>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The label for `value` (`none` when absent). */
  of(value: string | undefined): string {
    if (value === undefined || value === '') return 'none';
    const cut = value.slice(0, 64);
    if (this.#seen.has(cut)) return cut;
    if (this.#seen.size >= this.#limit) return 'other';
    this.#seen.add(cut);
    return cut;
  }
}
