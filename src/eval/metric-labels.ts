import type { MetricName } from './suite-types.js';

/** How each metric is shown in the table, the HTML report and comparisons. */
export const METRIC_LABELS: Readonly<Record<MetricName, string>> = {
  recallAt1: 'retrieval recall@1',
  recallAt5: 'retrieval recall@5',
  mrr: 'retrieval MRR@20',
  citationHit: 'citation hit',
  citationPrecision: 'citation precision',
  citationRecall: 'citation recall',
  termAccuracy: 'answer term accuracy',
  refusalAccuracy: 'refusal accuracy (unanswerable)',
  falseRefusalRate: 'false refusals (answerable)',
  turnPassRate: 'turns passed',
  latencyP50Ms: 'latency p50',
  latencyP95Ms: 'latency p95',
};

/** `0.873` for rates, `12.3 ms` for latencies, `n/a` for a metric that was not measured or does not apply. */
export function formatMetric(metric: MetricName, value: number | null): string {
  if (value === null) return 'n/a';
  return metric.endsWith('Ms') ? `${value.toFixed(1)} ms` : value.toFixed(3);
}

/** Whether a higher value is better (false for false refusals and latencies). */
export function higherIsBetter(metric: MetricName): boolean {
  return metric !== 'falseRefusalRate' && !metric.endsWith('Ms');
}
