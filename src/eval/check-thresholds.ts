import type { Metrics, ThresholdCheck } from './result-types.js';
import type { MetricName, Thresholds } from './suite-types.js';

/** Means of turn scores are not exact: 0.9 may come out as 0.8999999999. */
const EPSILON = 1e-9;

/**
 * Compares metrics with a suite's thresholds, minimums first, in the order the suite lists them.
 * A metric that is null (not measured, e.g. retrieval over `--ws`, or no turns it applies to) is reported as
 * `not-measured` and does not fail the suite; the table prints it so nothing passes unnoticed.
 */
export function checkThresholds(metrics: Metrics, thresholds: Thresholds): ThresholdCheck[] {
  const checks: ThresholdCheck[] = [];
  for (const bound of ['min', 'max'] as const) {
    for (const [metric, limit] of Object.entries(thresholds[bound]) as [MetricName, number][]) {
      const value = metrics[metric];
      const status = value === null ? 'not-measured' : (bound === 'min' ? value >= limit - EPSILON : value <= limit + EPSILON) ? 'pass' : 'fail';
      checks.push({ metric, bound, limit, value, status });
    }
  }
  return checks;
}
