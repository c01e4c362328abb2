import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, type EngineOptions } from '../../src/chat/create-engine.js';
import type { Engine } from '../../src/chat/engine-types.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS_DIR = path.join(REPO_ROOT, 'corpus');
export const ARTICLE_SLUG = 'nk-troops-drone-warfare';

export interface TestEngine {
  readonly engine: Engine;
  readonly dataDir: string;
  cleanup(): Promise<void>;
}

/**
 * A real engine over the real corpus with the real local embedding model, its index in a fresh temp
 * directory. Takes a few seconds (the model embeds every paragraph and sentence).
 */
export async function createTestEngine(options: Partial<EngineOptions> = {}): Promise<TestEngine> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'nqa-index-')));
  const engine = await createEngine({ corpusDir: CORPUS_DIR, ...options, dataDir });
  return {
    engine,
    dataDir,
    async cleanup() {
      await engine.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
