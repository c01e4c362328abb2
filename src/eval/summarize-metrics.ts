import type { Counts, Metrics, TurnResult } from './result-types.js';
import { mean, percentile } from './score.js';

/**
 * Aggregates turn results into a case's or a suite's metrics. Every rate is a macro average over the turns it
 * applies to (docs/evals.md): retrieval and citation metrics over answerable turns (precision only over those
 * with at least one citation), term accuracy over turns with terms, refusal accuracy over unanswerable turns.
 */
export function summarizeMetrics(turns: readonly TurnResult[]): Metrics {
  const answerable = turns.filter((t) => !t.expect.unanswerable);
  const unanswerable = turns.filter((t) => t.expect.unanswerable);
  const retrieved = answerable.flatMap((t) => (t.retrieval === null ? [] : [t.retrieval]));
  const values = <T>(list: readonly T[], pick: (item: T) => number | boolean | null): number[] =>
    list.flatMap((item) => {
      const value = pick(item);
      return value === null ? [] : [Number(value)];
    });
  const latencies = turns.map((t) => t.latencyMs);
  return {
    recallAt1: mean(retrieved.map((r) => r.recallAt1)),
    recallAt5: mean(retrieved.map((r) => r.recallAt5)),
    mrr: mean(retrieved.map((r) => r.reciprocalRank)),
    citationHit: mean(values(answerable, (t) => t.score.hit)),
    citationPrecision: mean(values(answerable, (t) => t.score.precision)),
    citationRecall: mean(values(answerable, (t) => t.score.recall)),
    termAccuracy: mean(values(turns, (t) => t.score.termAccuracy)),
    refusalAccuracy: mean(values(unanswerable, (t) => t.score.refusalCorrect)),
    falseRefusalRate: mean(values(answerable, (t) => t.score.falseRefusal)),
    turnPassRate: mean(turns.map((t) => (t.score.passed ? 1 : 0))),
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
  };
}

/** Case and turn counts of a suite; a case passes when all its turns do. */
export function countResults(cases: readonly { readonly turns: readonly TurnResult[] }[]): Counts {
  const turns = cases.flatMap((c) => c.turns);
  return {
    cases: cases.length,
    casesPassed: cases.filter((c) => c.turns.every((t) => t.score.passed)).length,
    turns: turns.length,
    turnsPassed: turns.filter((t) => t.score.passed).length,
    answerable: turns.filter((t) => !t.expect.unanswerable).length,
    unanswerable: turns.filter((t) => t.expect.unanswerable).length,
    errors: turns.filter((t) => t.error !== null).length,
  };
}
