import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EvalError } from '../errors.js';
import type { SuiteResult } from './result-types.js';

/** The version of the JSON report format; `readJsonReport` refuses other versions. */
export const REPORT_VERSION = 1;

/**
 * A run's report: written with `--report`, read back by `--compare`. Suites and cases are the runner's results
 * as they are (result-types.ts), so a report holds every question, expectation, answer and citation.
 */
export interface EvalReport {
  readonly version: typeof REPORT_VERSION;
  /** ISO 8601 time the run started. */
  readonly createdAt: string;
  /** `in-process` or the WebSocket URL. */
  readonly source: string;
  /** The `--retriever` asked for, or `default`. */
  readonly retriever: string;
  /** The `--answerer` asked for, or `default`. */
  readonly answerer: string;
  /** The answerers that actually answered (an `llm` request falls back to `extractive` without a provider). */
  readonly answerersSeen: readonly string[];
  readonly durationMs: number;
  /** Every suite met its thresholds. */
  readonly passed: boolean;
  readonly suites: readonly SuiteResult[];
}

/** Writes the report as indented JSON, creating the directory. */
export async function writeJsonReport(file: string, report: EvalReport): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
}

/**
 * Reads a report written by `writeJsonReport`. Throws `EvalError` (`EVAL_REPORT_UNREADABLE`,
 * `EVAL_REPORT_INVALID`) naming the file when it cannot be read, is not JSON, or is not a version-1 report.
 */
export async function readJsonReport(file: string): Promise<EvalReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new EvalError('EVAL_REPORT_UNREADABLE', `${file}: cannot read the report (${(cause as Error).message})`, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new EvalError('EVAL_REPORT_INVALID', `${file}: not JSON (${(cause as Error).message})`, { cause });
  }
  const problem = describeProblem(value);
  if (problem !== undefined) throw new EvalError('EVAL_REPORT_INVALID', `${file}: not an eval report: ${problem}`);
  return value as EvalReport;
}

function describeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'expected a JSON object';
  if (value.version !== REPORT_VERSION) return `"version" is ${JSON.stringify(value.version)}, expected ${REPORT_VERSION}`;
  if (!Array.isArray(value.suites)) return '"suites" is not an array';
  for (const [i, suite] of value.suites.entries()) {
    if (!isObject(suite) || typeof suite.name !== 'string' || !isObject(suite.metrics) || !Array.isArray(suite.cases)) {
      return `suites[${i}] lacks "name", "metrics" or "cases"`;
    }
    for (const [j, c] of suite.cases.entries()) {
      if (!isObject(c) || typeof c.id !== 'string' || typeof c.passed !== 'boolean' || !isObject(c.metrics) || !Array.isArray(c.turns)) {
        return `suites[${i}].cases[${j}] lacks "id", "passed", "metrics" or "turns"`;
      }
    }
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
