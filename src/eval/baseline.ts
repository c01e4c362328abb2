import { readFile, writeFile } from 'node:fs/promises';
import { EvalError } from '../errors.js';
import type { EvalReport } from './report-json.js';
import type { MetricName } from './suite-types.js';

/**
 * The regression gate: the figures each suite reached, per split, kept in `evals/baseline.json`, and a check that
 * fails when any of them drops by more than the tolerance (2 points). Suites are one article each, so this is the
 * "no article may get worse" rule; a change that makes citations better raises the baseline with
 * `npm run eval -- --split test --write-baseline evals/baseline.json` (and the same for dev).
 */
export const BASELINE_VERSION = 1;

/** The gated metrics and which way is better. */
export const GATED_METRICS: ReadonlyArray<readonly [MetricName, 'higher' | 'lower']> = [
  ['citationHit', 'higher'],
  ['citationPrecision', 'higher'],
  ['refusalAccuracy', 'higher'],
  ['falseRefusalRate', 'lower'],
  ['turnPassRate', 'higher'],
];

export const REGRESSION_TOLERANCE = 0.02;

export interface Baseline {
  readonly version: typeof BASELINE_VERSION;
  /** suite name -> split (`dev`, `test` or `all`) -> metric -> value. */
  readonly suites: Record<string, Record<string, Partial<Record<MetricName, number>>>>;
}

export interface Regression {
  readonly suite: string;
  readonly split: string;
  readonly metric: MetricName;
  readonly baseline: number;
  readonly value: number | null;
}

/** The report's gated figures, merged into `previous` (other splits and suites are kept). */
export function updateBaseline(previous: Baseline | undefined, report: EvalReport, split: string): Baseline {
  const suites: Baseline['suites'] = structuredClone(previous?.suites ?? {});
  for (const suite of report.suites) {
    const figures: Partial<Record<MetricName, number>> = {};
    for (const [metric] of GATED_METRICS) {
      const value = suite.metrics[metric];
      if (value !== null) figures[metric] = Math.round(value * 10_000) / 10_000;
    }
    suites[suite.name] = { ...(suites[suite.name] ?? {}), [split]: figures };
  }
  return { version: BASELINE_VERSION, suites };
}

/** Every gated figure of the report that fell more than `tolerance` below its baseline (or went missing). */
export function findRegressions(report: EvalReport, baseline: Baseline, split: string, tolerance = REGRESSION_TOLERANCE): Regression[] {
  const out: Regression[] = [];
  for (const suite of report.suites) {
    const expected = baseline.suites[suite.name]?.[split];
    if (expected === undefined) continue;
    for (const [metric, better] of GATED_METRICS) {
      const base = expected[metric];
      if (base === undefined) continue;
      const value = suite.metrics[metric];
      const worse = value === null || (better === 'higher' ? value < base - tolerance - 1e-9 : value > base + tolerance + 1e-9);
      if (worse) out.push({ suite: suite.name, split, metric, baseline: base, value });
    }
  }
  return out;
}

export function formatRegressions(regressions: readonly Regression[]): string {
  return regressions
    .map((r) => `${r.suite} (${r.split}): ${r.metric} ${r.value === null ? 'not measured' : r.value.toFixed(3)}, baseline ${r.baseline.toFixed(3)}`)
    .join('\n');
}

export async function readBaseline(file: string): Promise<Baseline> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new EvalError('EVAL_BASELINE_UNREADABLE', `${file}: cannot read the baseline (${(cause as Error).message})`, { cause });
  }
  const baseline = value as Partial<Baseline>;
  if (typeof value !== 'object' || value === null || baseline.version !== BASELINE_VERSION || typeof baseline.suites !== 'object' || baseline.suites === null) {
    throw new EvalError('EVAL_BASELINE_INVALID', `${file}: not a version-${BASELINE_VERSION} baseline ({"version": 1, "suites": {...}})`);
  }
  return baseline as Baseline;
}

export async function writeBaseline(file: string, baseline: Baseline): Promise<void> {
  const sorted = Object.fromEntries(Object.entries(baseline.suites).sort(([a], [b]) => a.localeCompare(b)));
  await writeFile(file, `${JSON.stringify({ ...baseline, suites: sorted }, null, 2)}\n`, 'utf8');
}
