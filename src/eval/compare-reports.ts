import { METRIC_LABELS, formatMetric, higherIsBetter } from './metric-labels.js';
import type { EvalReport } from './report-json.js';
import type { CaseResult, TurnResult } from './result-types.js';
import { METRIC_NAMES, type MetricName } from './suite-types.js';

/** One case that changed between two reports. */
export interface CaseChange {
  readonly suite: string;
  readonly id: string;
  readonly passedBefore: boolean;
  readonly passedAfter: boolean;
  readonly qualityBefore: number;
  readonly qualityAfter: number;
  /** Per turn, what was cited before and after (`turn 2: ¶39 -> ¶12`), for turns whose citations changed. */
  readonly details: readonly string[];
}

export interface MetricDelta {
  readonly metric: MetricName;
  readonly before: number | null;
  readonly after: number | null;
}

export interface ReportComparison {
  readonly suites: readonly { readonly name: string; readonly metrics: readonly MetricDelta[] }[];
  readonly worse: readonly CaseChange[];
  readonly better: readonly CaseChange[];
  /** `suite/id` of cases only in the new report, and only in the old one. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/**
 * Compares two reports case by case (matched by suite name and case id). A case got **worse** when it passed
 * before and fails now, or when its quality fell; **better** the other way round. Quality is the mean over its
 * turns of: on unanswerable turns, 1 for a correct refusal; on answerable ones, the mean of citation hit,
 * precision (0 without citations), recall and term accuracy (when the turn has terms).
 */
export function compareReports(before: EvalReport, after: EvalReport): ReportComparison {
  const worse: CaseChange[] = [];
  const better: CaseChange[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  const suites: { name: string; metrics: MetricDelta[] }[] = [];
  const oldSuites = new Map(before.suites.map((s) => [s.name, s]));
  for (const suite of after.suites) {
    const old = oldSuites.get(suite.name);
    if (old === undefined) {
      for (const c of suite.cases) added.push(`${suite.name}/${c.id}`);
      continue;
    }
    suites.push({
      name: suite.name,
      metrics: METRIC_NAMES.map((metric) => ({ metric, before: old.metrics[metric] ?? null, after: suite.metrics[metric] ?? null })),
    });
    const oldCases = new Map(old.cases.map((c) => [c.id, c]));
    for (const c of suite.cases) {
      const previous = oldCases.get(c.id);
      if (previous === undefined) {
        added.push(`${suite.name}/${c.id}`);
        continue;
      }
      oldCases.delete(c.id);
      const change: CaseChange = {
        suite: suite.name,
        id: c.id,
        passedBefore: previous.passed,
        passedAfter: c.passed,
        qualityBefore: caseQuality(previous),
        qualityAfter: caseQuality(c),
        details: citationChanges(previous, c),
      };
      const delta = change.qualityAfter - change.qualityBefore;
      if ((previous.passed && !c.passed) || (previous.passed === c.passed && delta < -1e-9)) worse.push(change);
      else if ((!previous.passed && c.passed) || (previous.passed === c.passed && delta > 1e-9)) better.push(change);
    }
    for (const id of oldCases.keys()) removed.push(`${suite.name}/${id}`);
  }
  for (const suite of before.suites) {
    if (!after.suites.some((s) => s.name === suite.name)) for (const c of suite.cases) removed.push(`${suite.name}/${c.id}`);
  }
  return { suites, worse, better, added, removed };
}

/** The quality score `compareReports` ranks a case by, from 0 to 1. */
export function caseQuality(result: CaseResult): number {
  if (result.turns.length === 0) return 0;
  return result.turns.reduce((sum, turn) => sum + turnQuality(turn), 0) / result.turns.length;
}

function turnQuality(turn: TurnResult): number {
  const { score } = turn;
  if (turn.expect.unanswerable) return score.refusalCorrect === true ? 1 : 0;
  const parts = [score.hit === true ? 1 : 0, score.precision ?? 0, score.recall ?? 0];
  if (score.termAccuracy !== null) parts.push(score.termAccuracy);
  return parts.reduce((a, b) => a + b, 0) / parts.length;
}

function citationChanges(before: CaseResult, after: CaseResult): string[] {
  const details: string[] = [];
  after.turns.forEach((turn, i) => {
    const old = before.turns[i];
    if (old === undefined) return;
    const was = describeCited(old);
    const now = describeCited(turn);
    if (was !== now) details.push(`turn ${i + 1}: ${was} -> ${now}`);
  });
  return details;
}

function describeCited(turn: TurnResult): string {
  if (turn.answer === null) return `error`;
  if (!turn.answer.grounded && turn.answer.citations.length === 0) return 'refused';
  return turn.answer.citations.map((c) => `¶${c.paragraph}`).join(' ') || 'no citations';
}

/** The console text of a comparison: metric changes per suite, then the cases that got worse and better. */
export function formatComparison(comparison: ReportComparison): string {
  const lines: string[] = [];
  for (const suite of comparison.suites) {
    const changed = suite.metrics.filter((m) => m.before !== m.after);
    lines.push(`Compared with the earlier report, suite ${suite.name}:${changed.length === 0 ? ' no metric changed' : ''}`);
    for (const m of changed) {
      const arrow = m.before === null || m.after === null ? '' : (m.after > m.before) === higherIsBetter(m.metric) ? ' (better)' : ' (worse)';
      lines.push(`  ${METRIC_LABELS[m.metric]}: ${formatMetric(m.metric, m.before)} -> ${formatMetric(m.metric, m.after)}${arrow}`);
    }
  }
  const describe = (change: CaseChange): string => {
    const status = change.passedBefore === change.passedAfter ? (change.passedAfter ? 'passes' : 'fails') : `${change.passedBefore ? 'passed' : 'failed'} -> ${change.passedAfter ? 'passes' : 'fails'}`;
    const details = change.details.length > 0 ? `; ${change.details.join('; ')}` : '';
    return `  ${change.suite}/${change.id}: ${status}, quality ${change.qualityBefore.toFixed(2)} -> ${change.qualityAfter.toFixed(2)}${details}`;
  };
  lines.push(`Cases that got worse: ${comparison.worse.length}`, ...comparison.worse.map(describe));
  lines.push(`Cases that got better: ${comparison.better.length}`, ...comparison.better.map(describe));
  if (comparison.added.length > 0) lines.push(`New cases: ${comparison.added.join(', ')}`);
  if (comparison.removed.length > 0) lines.push(`Removed cases: ${comparison.removed.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
