/**
 * A sorted set of small integers (a candidate reading's rank in message order), for the batch
 * planner: it asks for a rank's neighbours on every candidate and inserts only the few it keeps,
 * so lookups are binary searches and an insert is one array splice.
 */
export class RankSet {
  private readonly ranks: number[] = [];

  get size(): number {
    return this.ranks.length;
  }

  get first(): number | undefined {
    return this.ranks[0];
  }

  /** The largest member below `rank`. */
  before(rank: number): number | undefined {
    const at = this.position(rank);
    return at === 0 ? undefined : this.ranks[at - 1];
  }

  /** The smallest member above `rank` (`rank` itself is never a member when asked). */
  after(rank: number): number | undefined {
    const at = this.position(rank);
    const found = this.ranks[at];
    return found === rank ? this.ranks[at + 1] : found;
  }

  insert(rank: number): void {
    this.ranks.splice(this.position(rank), 0, rank);
  }

  /** Index of the first member ≥ `rank`. */
  private position(rank: number): number {
    return lowerBound(this.ranks, rank);
  }
}

/** Index of the first element ≥ `value` in an ascending array. */
export function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? 0) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
