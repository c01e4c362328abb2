import { describe, expect, it } from 'vitest';
import { findRegressions, formatRegressions, updateBaseline } from '../../src/eval/baseline.js';
import type { EvalReport } from '../../src/eval/report-json.js';
import { METRIC_NAMES, type MetricName } from '../../src/eval/suite-types.js';

function report(figures: Record<string, Partial<Record<MetricName, number | null>>>): EvalReport {
  return {
    version: 1,
    createdAt: '2026-12-01T00:00:00Z',
    source: 'in-process',
    retriever: 'default',
    answerer: 'default',
    answerersSeen: ['extractive'],
    durationMs: 1,
    passed: true,
    suites: Object.entries(figures).map(([name, m]) => ({
      name,
      metrics: Object.fromEntries(METRIC_NAMES.map((metric) => [metric, m[metric] ?? null])),
    })) as unknown as EvalReport['suites'],
  };
}

describe('the baseline regression check', () => {
  const baseline = updateBaseline(undefined, report({ a: { citationHit: 0.7, citationPrecision: 0.8, falseRefusalRate: 0.1 }, b: { citationHit: 0.5 } }), 'test');

  it('records each suite\'s gated figures under its split, keeping other splits', () => {
    const both = updateBaseline(baseline, report({ a: { citationHit: 0.9 } }), 'dev');
    expect(both.suites.a).toEqual({ test: { citationHit: 0.7, citationPrecision: 0.8, falseRefusalRate: 0.1 }, dev: { citationHit: 0.9 } });
  });

  it('lets a change of up to 2 points pass and flags a bigger drop, whichever way the metric counts', () => {
    expect(findRegressions(report({ a: { citationHit: 0.68, citationPrecision: 0.8, falseRefusalRate: 0.12 }, b: { citationHit: 0.5 } }), baseline, 'test')).toEqual([]);
    const regressions = findRegressions(report({ a: { citationHit: 0.67, citationPrecision: 0.9, falseRefusalRate: 0.13 }, b: { citationHit: null } }), baseline, 'test');
    expect(regressions.map((r) => `${r.suite}:${r.metric}`)).toEqual(['a:citationHit', 'a:falseRefusalRate', 'b:citationHit']);
    expect(formatRegressions(regressions)).toContain('a (test): citationHit 0.670, baseline 0.700');
  });

  it('checks only the split it is asked about', () => {
    expect(findRegressions(report({ a: { citationHit: 0.1 } }), baseline, 'dev')).toEqual([]);
  });
});
