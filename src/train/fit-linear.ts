import type { LinearModel } from '../chat/pipeline/answer-model.js';

/**
 * Fitting the two linear models of the answer model, with standardised features, L2 regularisation and Adam on the
 * full batch (the data sets are a few thousand questions: exact gradients are cheap and make training
 * deterministic).
 */
export interface RankingGroup {
  /** Feature rows of one question's candidates. */
  readonly rows: readonly Float64Array[];
  /** Indices of the rows that answer the question (at least one). */
  readonly positives: readonly number[];
  readonly weight: number;
}

export interface FitOptions {
  readonly features: readonly string[];
  /** L2 penalty on the weights (not the bias); default 0.01. */
  readonly l2?: number;
  readonly iterations?: number;
  readonly learningRate?: number;
}

/** Mean and standard deviation of each column (a constant column gets scale 1). */
export function standardisation(rows: readonly Float64Array[], width: number): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(width).fill(0);
  const scale = new Array<number>(width).fill(0);
  for (const r of rows) for (let i = 0; i < width; i += 1) mean[i]! += r[i]!;
  for (let i = 0; i < width; i += 1) mean[i] = mean[i]! / Math.max(1, rows.length);
  for (const r of rows) for (let i = 0; i < width; i += 1) scale[i]! += (r[i]! - mean[i]!) ** 2;
  for (let i = 0; i < width; i += 1) {
    const sd = Math.sqrt(scale[i]! / Math.max(1, rows.length));
    scale[i] = sd > 1e-9 ? sd : 1;
  }
  return { mean, scale };
}

/**
 * Listwise ranker: maximises, for each question, the log of the softmax probability mass on its answer rows among
 * all its candidate rows (a conditional logit), weighted per question.
 */
export function fitListwiseRanker(groups: readonly RankingGroup[], options: FitOptions): LinearModel {
  const width = options.features.length;
  const { mean, scale } = standardisation(groups.flatMap((g) => g.rows), width);
  // One flat matrix of standardised rows, groups as [start, end) ranges: the gradient loop is the hot path.
  const total = groups.reduce((a, g) => a + g.rows.length, 0);
  const x = new Float64Array(total * width);
  const positive = new Uint8Array(total);
  const starts: number[] = [];
  let row = 0;
  for (const g of groups) {
    starts.push(row);
    g.rows.forEach((r, i) => {
      for (let k = 0; k < width; k += 1) x[(row + i) * width + k] = (r[k]! - mean[k]!) / scale[k]!;
    });
    for (const i of g.positives) positive[row + i] = 1;
    row += g.rows.length;
  }
  starts.push(row);
  const l2 = options.l2 ?? 0.01;
  const totalWeight = groups.reduce((a, g) => a + g.weight, 0);
  const w = new Float64Array(width);
  const scores = new Float64Array(total);
  adam(w, options, () => {
    const grad = new Float64Array(width);
    let loss = 0;
    for (let r = 0; r < total; r += 1) {
      let s = 0;
      const base = r * width;
      for (let k = 0; k < width; k += 1) s += w[k]! * x[base + k]!;
      scores[r] = s;
    }
    for (let g = 0; g < groups.length; g += 1) {
      const from = starts[g]!;
      const to = starts[g + 1]!;
      const weight = groups[g]!.weight;
      let max = -Infinity;
      for (let r = from; r < to; r += 1) max = Math.max(max, scores[r]!);
      let all = 0;
      let pos = 0;
      for (let r = from; r < to; r += 1) {
        const e = Math.exp(scores[r]! - max);
        scores[r] = e;
        all += e;
        if (positive[r] === 1) pos += e;
      }
      loss -= weight * (Math.log(pos) - Math.log(all));
      // d/dw -[log sum_pos - log sum_all] = E_all[x] - E_pos[x]
      for (let r = from; r < to; r += 1) {
        const coefficient = weight * (scores[r]! / all - (positive[r] === 1 ? scores[r]! / pos : 0));
        if (coefficient === 0) continue;
        const base = r * width;
        for (let k = 0; k < width; k += 1) grad[k]! += coefficient * x[base + k]!;
      }
    }
    for (let k = 0; k < width; k += 1) {
      grad[k] = grad[k]! / totalWeight + l2 * w[k]!;
      loss += 0.5 * l2 * w[k]! * w[k]! * totalWeight;
    }
    return { loss: loss / totalWeight, grad };
  });
  return { features: [...options.features], mean, scale, weights: [...w], bias: 0 };
}

/** Weighted binary logistic regression. */
export function fitLogistic(
  rows: readonly Float64Array[],
  labels: readonly number[],
  weights: readonly number[],
  options: FitOptions,
): LinearModel {
  const width = options.features.length;
  const { mean, scale } = standardisation(rows, width);
  const standard = rows.map((r) => standardise(r, mean, scale));
  const l2 = options.l2 ?? 0.01;
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  // The bias is the last coordinate, not penalised.
  const w = new Float64Array(width + 1);
  adam(w, options, () => {
    const grad = new Float64Array(width + 1);
    let loss = 0;
    standard.forEach((r, n) => {
      const z = dot(w, r) + w[width]!;
      const p = 1 / (1 + Math.exp(-z));
      const y = labels[n]!;
      const weight = weights[n]!;
      loss -= weight * (y * Math.log(Math.max(p, 1e-12)) + (1 - y) * Math.log(Math.max(1 - p, 1e-12)));
      const e = weight * (p - y);
      for (let k = 0; k < width; k += 1) grad[k]! += e * r[k]!;
      grad[width]! += e;
    });
    for (let k = 0; k <= width; k += 1) {
      grad[k] = grad[k]! / totalWeight + (k < width ? l2 * w[k]! : 0);
      if (k < width) loss += 0.5 * l2 * w[k]! * w[k]! * totalWeight;
    }
    return { loss: loss / totalWeight, grad };
  });
  return { features: [...options.features], mean, scale, weights: [...w.slice(0, width)], bias: w[width]! };
}

function adam(w: Float64Array, options: FitOptions, step: () => { loss: number; grad: Float64Array }): void {
  const iterations = options.iterations ?? 400;
  const rate = options.learningRate ?? 0.05;
  const m = new Float64Array(w.length);
  const v = new Float64Array(w.length);
  const beta1 = 0.9;
  const beta2 = 0.999;
  for (let t = 1; t <= iterations; t += 1) {
    const { grad } = step();
    for (let k = 0; k < w.length; k += 1) {
      m[k] = beta1 * m[k]! + (1 - beta1) * grad[k]!;
      v[k] = beta2 * v[k]! + (1 - beta2) * grad[k]! * grad[k]!;
      const mh = m[k]! / (1 - beta1 ** t);
      const vh = v[k]! / (1 - beta2 ** t);
      w[k] = w[k]! - (rate * mh) / (Math.sqrt(vh) + 1e-8);
    }
  }
}

function standardise(r: Float64Array, mean: readonly number[], scale: readonly number[]): Float64Array {
  const out = new Float64Array(mean.length);
  for (let i = 0; i < mean.length; i += 1) out[i] = (r[i]! - mean[i]!) / scale[i]!;
  return out;
}

function dot(w: Float64Array, r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i += 1) s += w[i]! * r[i]!;
  return s;
}
