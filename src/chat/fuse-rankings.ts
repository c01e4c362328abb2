/**
 * Reciprocal rank fusion (Cormack et al., 2009): each ranking contributes `weight / (k + rank)` to an
 * item's score. Rank-based, so BM25 scores and cosine similarities need no common scale.
 */
export interface Ranking<T> {
  readonly items: readonly T[];
  /** Default 1. */
  readonly weight?: number;
}

export function fuseRankings<T>(rankings: readonly Ranking<T>[], k = 60): Array<{ item: T; score: number }> {
  const scores = new Map<T, number>();
  for (const ranking of rankings) {
    const weight = ranking.weight ?? 1;
    ranking.items.forEach((item, rank) => {
      scores.set(item, (scores.get(item) ?? 0) + weight / (k + rank + 1));
    });
  }
  return [...scores].map(([item, score]) => ({ item, score })).sort((a, b) => b.score - a.score);
}
