import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAnswerModel, linearScore, loadAnswerModel } from '../../src/chat/pipeline/answer-model.js';
import { ANSWERABILITY_FEATURE_NAMES } from '../../src/chat/pipeline/answerability-features.js';
import { SENTENCE_FEATURE_NAMES } from '../../src/chat/pipeline/features.js';
import { ModelError } from '../../src/errors.js';
import { fitListwiseRanker, fitLogistic } from '../../src/train/fit-linear.js';

describe('loadAnswerModel', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nqa-model-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the shipped artifact, trained on the features the engine computes', () => {
    const model = loadAnswerModel();
    expect(model.ranker.features).toEqual(SENTENCE_FEATURE_NAMES);
    expect(model.answerability.features).toEqual(ANSWERABILITY_FEATURE_NAMES);
    expect(model.answerability.threshold).toBeGreaterThan(0);
    expect(model.answerability.threshold).toBeLessThan(1);
  });

  it('refuses a missing file with MODEL_UNREADABLE and the command that rebuilds it', () => {
    const file = path.join(dir, 'none.json');
    expect(() => loadAnswerModel(file)).toThrow(ModelError);
    expect(() => loadAnswerModel(file)).toThrow(/none\.json: cannot read the answer model .*npm run train/);
  });

  it('refuses a model trained on another feature table with MODEL_INVALID, naming both tables', async () => {
    const model = structuredClone(loadAnswerModel());
    const stale = { ...model, ranker: { ...model.ranker, features: ['cosSentence', ...model.ranker.features.slice(1, -1)] } };
    const file = path.join(dir, 'stale.json');
    await writeFile(file, JSON.stringify(stale));
    let error: unknown;
    try {
      loadAnswerModel(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).code).toBe('MODEL_INVALID');
    expect((error as Error).message).toMatch(/ranker was trained on features \[cosSentence, .*\], the engine computes \[/);
  });

  it('refuses a threshold outside 0..1 and a non-finite weight', () => {
    const model = structuredClone(loadAnswerModel());
    expect(() => checkAnswerModel({ ...model, answerability: { ...model.answerability, threshold: 2 } }, 'x.json')).toThrow(/threshold must be a number from 0 to 1/);
    const weights = [...model.ranker.weights];
    weights[0] = Number.NaN;
    expect(() => checkAnswerModel({ ...model, ranker: { ...model.ranker, weights } }, 'x.json')).toThrow(/ranker\.weights must be/);
  });
});

describe('fitting the linear models', () => {
  it('learns a listwise ranker that puts the row with the informative feature first', () => {
    const groups = Array.from({ length: 40 }, (_, g) => {
      const rows = Array.from({ length: 8 }, (_, i) => Float64Array.from([i === g % 8 ? 1 : 0, ((g * 7 + i * 3) % 5) / 5]));
      return { rows, positives: [g % 8], weight: 1 };
    });
    const model = fitListwiseRanker(groups, { features: ['signal', 'noise'] });
    expect(model.weights[0]).toBeGreaterThan(1);
    expect(Math.abs(model.weights[1]!)).toBeLessThan(model.weights[0]! / 4);
    for (const g of groups) {
      const scores = g.rows.map((r) => linearScore(model, r));
      expect(scores.indexOf(Math.max(...scores))).toBe(g.positives[0]);
    }
  });

  it('fits a weighted logistic regression whose probabilities order the classes', () => {
    const rows = Array.from({ length: 60 }, (_, i) => Float64Array.from([i / 60]));
    const labels = rows.map((_, i) => (i >= 30 ? 1 : 0));
    const model = fitLogistic(rows, labels, rows.map(() => 1), { features: ['x'] });
    expect(linearScore(model, Float64Array.from([0.9]))).toBeGreaterThan(0);
    expect(linearScore(model, Float64Array.from([0.1]))).toBeLessThan(0);
  });
});
