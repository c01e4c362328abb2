import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { EvalError } from '../errors.js';
import { loadSuite } from './parse-suite.js';
import type { Suite } from './suite-types.js';

/**
 * The suites of the default run: every `*.jsonl` directly in `dir`, in name order, except those whose header
 * says `"fixture": true` (suites that exist for the runner's own tests). Subfolders such as `evals/drafts/`
 * are not read, so an unreviewed draft never runs by accident. Throws `EvalError` when none is found.
 */
export async function findSuites(dir: string): Promise<Suite[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
      .map((entry) => entry.name)
      .sort();
  } catch (cause) {
    throw new EvalError('EVAL_SUITE_UNREADABLE', `${dir}: cannot list the eval suites (${(cause as Error).message})`, { cause });
  }
  const suites: Suite[] = [];
  for (const name of names) {
    const suite = await loadSuite(path.join(dir, name));
    if (!suite.fixture) suites.push(suite);
  }
  if (suites.length === 0) throw new EvalError('EVAL_NO_SUITES', `${dir}: no eval suites (*.jsonl without "fixture": true)`);
  return suites;
}
