import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ModelError } from '../../errors.js';
import { ANSWERABILITY_FEATURE_NAMES } from './answerability-features.js';
import { SENTENCE_FEATURE_NAMES } from './features.js';

/**
 * The trained answer model: a listwise sentence ranker and a calibrated answerability classifier, both linear
 * over standardised features, saved as one small JSON artifact (`models/answer-model.json`) that `npm run train`
 * rebuilds from the eval suites' dev splits and questions generated from the articles. The artifact names its
 * features; one trained on a different feature table is refused rather than silently misread.
 */
export const ANSWER_MODEL_FORMAT = 'newsroom-qa/answer-model';
export const ANSWER_MODEL_VERSION = 1;

export interface LinearModel {
  readonly features: readonly string[];
  readonly mean: readonly number[];
  readonly scale: readonly number[];
  readonly weights: readonly number[];
  readonly bias: number;
}

export interface AnswerModel {
  readonly format: typeof ANSWER_MODEL_FORMAT;
  readonly version: number;
  readonly trainedAt: string;
  readonly ranker: LinearModel;
  readonly answerability: LinearModel & {
    /** Answer only when the estimated probability that the top paragraph answers reaches this. */
    readonly threshold: number;
  };
  /** What training measured (cross-validation), for people; never read by the engine. */
  readonly report?: unknown;
}

export const DEFAULT_ANSWER_MODEL_PATH = fileURLToPath(new URL('../../../models/answer-model.json', import.meta.url));

/** Reads and checks the artifact. Throws `ModelError` (`MODEL_UNREADABLE`, `MODEL_INVALID`) naming the file. */
export function loadAnswerModel(file: string = DEFAULT_ANSWER_MODEL_PATH): AnswerModel {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ModelError('MODEL_UNREADABLE', `${file}: cannot read the answer model (${(cause as Error).message}); run npm run train`, { cause });
  }
  return checkAnswerModel(value, file);
}

export function checkAnswerModel(value: unknown, file: string): AnswerModel {
  const fail = (why: string): never => {
    throw new ModelError('MODEL_INVALID', `${file}: ${why}; run npm run train to rebuild it`);
  };
  if (typeof value !== 'object' || value === null) return fail('not a JSON object');
  const model = value as Partial<AnswerModel>;
  if (model.format !== ANSWER_MODEL_FORMAT) fail(`format is ${JSON.stringify(model.format)}, expected "${ANSWER_MODEL_FORMAT}"`);
  if (model.version !== ANSWER_MODEL_VERSION) fail(`version is ${String(model.version)}, this engine reads version ${ANSWER_MODEL_VERSION}`);
  checkLinear(model.ranker, SENTENCE_FEATURE_NAMES, 'ranker', fail);
  checkLinear(model.answerability, ANSWERABILITY_FEATURE_NAMES, 'answerability', fail);
  const threshold = (model.answerability as { threshold?: unknown }).threshold;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) fail('answerability.threshold must be a number from 0 to 1');
  return model as AnswerModel;
}

function checkLinear(value: unknown, expected: readonly string[], name: string, fail: (why: string) => never): void {
  if (typeof value !== 'object' || value === null) fail(`${name} is missing`);
  const m = value as Partial<LinearModel>;
  const same = Array.isArray(m.features) && m.features.length === expected.length && m.features.every((f, i) => f === expected[i]);
  if (!same) fail(`${name} was trained on features [${(m.features ?? []).join(', ')}], the engine computes [${expected.join(', ')}]`);
  for (const key of ['mean', 'scale', 'weights'] as const) {
    const list = m[key];
    if (!Array.isArray(list) || list.length !== expected.length || !list.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      fail(`${name}.${key} must be ${expected.length} finite numbers`);
    }
  }
  if (typeof m.bias !== 'number' || !Number.isFinite(m.bias)) fail(`${name}.bias must be a finite number`);
}

/** The model's score for one feature row: w · standardise(x) + b. */
export function linearScore(model: LinearModel, x: ArrayLike<number>): number {
  let s = model.bias;
  for (let i = 0; i < model.weights.length; i += 1) {
    s += model.weights[i]! * ((x[i]! - model.mean[i]!) / model.scale[i]!);
  }
  return s;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
