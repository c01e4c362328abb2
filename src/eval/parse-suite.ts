import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EvalError } from '../errors.js';
import { METRIC_NAMES, type MetricName, type Suite, type SuiteCase, type SuiteSplit, type SuiteTurn, type Thresholds, type TurnExpectation } from './suite-types.js';

const CASE_KEYS = new Set(['id', 'split', 'article', 'turns', 'tags', 'note', 'review']);
const SPLITS = new Set(['dev', 'test']);
const TURN_KEYS = new Set(['question', 'expect', 'note']);
const EXPECT_KEYS = new Set(['paragraphs', 'evidence', 'terms', 'unanswerable']);
const HEADER_KEYS = new Set(['suite', 'description', 'article', 'fixture', 'thresholds']);
const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** Metrics that are shares in [0, 1]; the others are milliseconds. */
const RATE_METRICS = new Set<MetricName>(METRIC_NAMES.filter((name) => !name.endsWith('Ms')));
/** Problems listed in one error before the rest are summarised, so a broken file stays readable. */
const MAX_PROBLEMS = 20;

type Json = Record<string, unknown>;

/** Reads and parses a suite file; see `parseSuite`. Throws `EvalError` `EVAL_SUITE_UNREADABLE` naming the file. */
export async function loadSuite(file: string): Promise<Suite> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new EvalError('EVAL_SUITE_UNREADABLE', `${file}: cannot read the suite (${(cause as Error).message})`, { cause });
  }
  return parseSuite(text, file);
}

/**
 * Parses a JSONL suite: an optional header line first (`{"suite": ...}`), then one case per line; blank lines
 * are allowed, nothing else is skipped. Every problem is reported as `file:line: what is wrong`, all of them in
 * one `EvalError` (`EVAL_SUITE_MALFORMED` when a line is not JSON, `EVAL_SUITE_INVALID` otherwise).
 * Checks against the article (paragraph numbers exist, evidence is in the text) are `validateSuite`'s job.
 */
export function parseSuite(text: string, file: string): Suite {
  const problems: string[] = [];
  let malformed = false;
  let header: Json | undefined;
  let headerLine = 0;
  const cases: SuiteCase[] = [];
  const seenIds = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  let firstContentLine = true;

  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const report = (message: string): void => {
      problems.push(`${file}:${line}: ${message}`);
    };
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (cause) {
      malformed = true;
      report(`not valid JSON (${(cause as Error).message})`);
      firstContentLine = false;
      return;
    }
    if (!isObject(value)) {
      report('expected a JSON object (a case or, on the first line, the suite header)');
      firstContentLine = false;
      return;
    }
    const isHeader = 'suite' in value && !('turns' in value);
    if (isHeader) {
      if (!firstContentLine) report('the suite header ({"suite": ...}) must be the first line of the file');
      else {
        header = value;
        headerLine = line;
      }
      firstContentLine = false;
      return;
    }
    firstContentLine = false;
    const parsed = parseCase(value, line, report);
    if (parsed === undefined) return;
    const earlier = seenIds.get(parsed.id);
    if (earlier !== undefined) report(`case id "${parsed.id}" is already used on line ${earlier}`);
    else seenIds.set(parsed.id, line);
    cases.push(parsed);
  });

  const headerReport = (message: string): void => {
    problems.push(`${file}:${headerLine}: ${message}`);
  };
  const meta = header === undefined ? undefined : parseHeader(header, headerReport);
  if (cases.length === 0 && problems.length === 0) problems.push(`${file}:1: the suite holds no cases`);

  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    if (problems.length > MAX_PROBLEMS) shown.push(`... and ${problems.length - MAX_PROBLEMS} more problems`);
    throw new EvalError(malformed ? 'EVAL_SUITE_MALFORMED' : 'EVAL_SUITE_INVALID', shown.join('\n'));
  }
  return {
    name: meta?.name ?? path.basename(file).replace(/\.jsonl$/i, ''),
    file,
    description: meta?.description,
    article: meta?.article,
    fixture: meta?.fixture ?? false,
    thresholds: meta?.thresholds ?? { min: {}, max: {} },
    cases,
  };
}

interface HeaderMeta {
  name: string;
  description: string | undefined;
  article: string | undefined;
  fixture: boolean;
  thresholds: Thresholds;
}

function parseHeader(value: Json, report: (message: string) => void): HeaderMeta | undefined {
  for (const key of Object.keys(value)) {
    if (!HEADER_KEYS.has(key)) report(`unknown header field "${key}" (expected ${[...HEADER_KEYS].join(', ')})`);
  }
  const name = value.suite;
  if (typeof name !== 'string' || name.trim() === '') {
    report('header "suite" must be a non-empty string');
    return undefined;
  }
  const description = optionalString(value, 'description', report);
  const article = optionalString(value, 'article', report);
  if (value.fixture !== undefined && typeof value.fixture !== 'boolean') report('header "fixture" must be true or false');
  return {
    name,
    description,
    article,
    fixture: value.fixture === true,
    thresholds: parseThresholds(value.thresholds, report),
  };
}

function parseThresholds(value: unknown, report: (message: string) => void): Thresholds {
  if (value === undefined) return { min: {}, max: {} };
  if (!isObject(value)) {
    report('header "thresholds" must be an object {"min": {...}, "max": {...}}');
    return { min: {}, max: {} };
  }
  const result: { min: Partial<Record<MetricName, number>>; max: Partial<Record<MetricName, number>> } = { min: {}, max: {} };
  for (const [bound, limits] of Object.entries(value)) {
    if (bound !== 'min' && bound !== 'max') {
      report(`thresholds may only hold "min" and "max", got "${bound}"`);
      continue;
    }
    if (!isObject(limits)) {
      report(`thresholds.${bound} must be an object of metric: number`);
      continue;
    }
    for (const [metric, limit] of Object.entries(limits)) {
      if (!(METRIC_NAMES as readonly string[]).includes(metric)) {
        report(`thresholds.${bound}: unknown metric "${metric}" (known: ${METRIC_NAMES.join(', ')})`);
        continue;
      }
      const name = metric as MetricName;
      const max = RATE_METRICS.has(name) ? 1 : Number.POSITIVE_INFINITY;
      if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0 || limit > max) {
        report(`thresholds.${bound}.${metric} must be a number from 0 to ${RATE_METRICS.has(name) ? '1' : 'any positive limit in ms'}`);
        continue;
      }
      result[bound][name] = limit;
    }
  }
  return result;
}

function parseCase(value: Json, line: number, report: (message: string) => void): SuiteCase | undefined {
  let ok = true;
  const fail = (message: string): void => {
    ok = false;
    report(message);
  };
  for (const key of Object.keys(value)) {
    if (!CASE_KEYS.has(key)) fail(`unknown case field "${key}" (expected ${[...CASE_KEYS].join(', ')})`);
  }
  const id = value.id;
  if (typeof id !== 'string' || !CASE_ID.test(id)) {
    fail('case "id" must be a string of letters, digits, "_", "." or "-"');
  }
  const label = typeof id === 'string' ? `case "${id}"` : 'case';
  if (value.review !== undefined) {
    fail(`${label} is a draft awaiting review (${JSON.stringify(value.review)}): fill in "expect" and remove "review"`);
  }
  const article = optionalString(value, 'article', fail);
  const note = optionalString(value, 'note', fail);
  const split = value.split;
  if (split !== undefined && (typeof split !== 'string' || !SPLITS.has(split))) fail(`${label}: "split" must be "dev" or "test"`);
  let tags: string[] = [];
  if (value.tags !== undefined) {
    if (Array.isArray(value.tags) && value.tags.every((tag) => typeof tag === 'string')) tags = value.tags as string[];
    else fail(`${label}: "tags" must be an array of strings`);
  }
  const turns: SuiteTurn[] = [];
  if (!Array.isArray(value.turns) || value.turns.length === 0) {
    fail(`${label}: "turns" must be a non-empty array of {"question", "expect"}`);
  } else {
    value.turns.forEach((turn: unknown, index: number) => {
      const parsed = parseTurn(turn, `${label} turn ${index + 1}`, fail);
      if (parsed !== undefined) turns.push(parsed);
    });
  }
  if (!ok) return undefined;
  return { id: id as string, split: split as SuiteSplit | undefined, article, turns, tags, note, line };
}

function parseTurn(value: unknown, label: string, fail: (message: string) => void): SuiteTurn | undefined {
  if (!isObject(value)) {
    fail(`${label} must be an object {"question", "expect"}`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!TURN_KEYS.has(key)) fail(`${label}: unknown field "${key}" (expected ${[...TURN_KEYS].join(', ')})`);
  }
  const question = value.question;
  if (typeof question !== 'string' || question.trim() === '') {
    fail(`${label}: "question" must be a non-empty string`);
    return undefined;
  }
  const expect = parseExpect(value.expect, label, fail);
  return expect === undefined ? undefined : { question, expect };
}

function parseExpect(value: unknown, label: string, fail: (message: string) => void): TurnExpectation | undefined {
  if (!isObject(value)) {
    fail(`${label}: "expect" must be an object with "paragraphs", "evidence", "terms" or "unanswerable"`);
    return undefined;
  }
  let ok = true;
  const bad = (message: string): void => {
    ok = false;
    fail(`${label}: ${message}`);
  };
  for (const key of Object.keys(value)) {
    if (!EXPECT_KEYS.has(key)) bad(`unknown expect field "${key}" (expected ${[...EXPECT_KEYS].join(', ')})`);
  }
  if (value.unanswerable !== undefined && value.unanswerable !== true) bad('"unanswerable" may only be true');
  const unanswerable = value.unanswerable === true;
  const paragraphs = value.paragraphs ?? [];
  if (!Array.isArray(paragraphs) || !paragraphs.every((n) => Number.isInteger(n) && (n as number) >= 1)) {
    bad('"paragraphs" must be an array of paragraph numbers (integers from 1)');
  } else if (new Set(paragraphs).size !== paragraphs.length) {
    bad('"paragraphs" lists a number twice');
  }
  const evidence = stringList(value.evidence, 'evidence', bad);
  const terms = stringList(value.terms, 'terms', bad);
  if (!ok) return undefined;
  const numbers = paragraphs as number[];
  if (unanswerable && (numbers.length > 0 || evidence.length > 0 || terms.length > 0)) {
    bad('an unanswerable turn expects no "paragraphs", "evidence" or "terms"');
    return undefined;
  }
  if (!unanswerable && numbers.length === 0 && evidence.length === 0) {
    bad('expects "paragraphs" or "evidence" (or "unanswerable": true)');
    return undefined;
  }
  return {
    paragraphs: numbers,
    evidence: evidence.map(splitAlternatives),
    terms: terms.map(splitAlternatives),
    unanswerable,
  };
}

function stringList(value: unknown, name: string, bad: (message: string) => void): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && splitAlternatives(item).length > 0)) {
    bad(`"${name}" must be an array of non-empty strings ("a|b" for alternatives)`);
    return [];
  }
  return value as string[];
}

/** `"4,700|4700"` -> `['4,700', '4700']`; empty alternatives are dropped. */
export function splitAlternatives(entry: string): string[] {
  return entry
    .split('|')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function optionalString(value: Json, key: string, report: (message: string) => void): string | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  if (typeof field !== 'string' || field.trim() === '') {
    report(`"${key}" must be a non-empty string`);
    return undefined;
  }
  return field;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
