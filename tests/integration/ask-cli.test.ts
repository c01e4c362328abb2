import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/create-test-engine.js';

const run = promisify(execFile);
const TSX = path.join(REPO_ROOT, 'node_modules/.bin/tsx');

describe('npm run ask (src/cli/ask.ts)', () => {
  let dataDir: string;
  const env = () => ({ ...process.env, DATA_DIR: dataDir, LLM_PROVIDER: '', EMBEDDINGS: '' });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'nqa-cli-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints a cited answer for a question, offline', async () => {
    const { stdout } = await run(TSX, ['src/cli/ask.ts', 'How many North Korean soldiers were killed in Kursk?'], {
      cwd: REPO_ROOT,
      env: env(),
    });
    expect(stdout).toContain('4,700');
    expect(stdout).toContain('[¶43]');
    expect(stdout).toMatch(/Sources:\n {2}\[¶43\] nk-troops-drone-warfare#p43/);
  });

  it('prints the answer object with --json', async () => {
    const { stdout } = await run(TSX, ['src/cli/ask.ts', '--json', 'Who is Bulat?'], { cwd: REPO_ROOT, env: env() });
    const answer = JSON.parse(stdout) as { grounded: boolean; citations: Array<{ paragraph: number; quote: string }> };
    expect(answer.grounded).toBe(true);
    expect(answer.citations[0]?.paragraph).toBe(36);
  });

  it('holds a conversation on stdin and resolves the follow-up', async () => {
    const child = run(TSX, ['src/cli/ask.ts'], { cwd: REPO_ROOT, env: env() });
    child.child.stdin?.end('Who is Bulat?\nWhat happened to the soldier he wounded?\n\n');
    const { stdout } = await child;
    // The first answer introduces Bulat (¶36); the follow-up, resolved to "the soldier Bulat wounded", cites the
    // story of that soldier after it (¶37-¶39).
    const cited = [...stdout.matchAll(/\[¶(\d+)\]/g)].map((m) => Number(m[1]));
    expect(cited[0]).toBe(36);
    expect(cited.some((n) => n >= 37 && n <= 39)).toBe(true);
  });

  it('rejects an empty question with a clear error and a non-zero exit', async () => {
    const error = (await run(TSX, ['src/cli/ask.ts', '   '], { cwd: REPO_ROOT, env: env() }).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(error.code).toBe(1);
    expect(error.stderr).toContain('QUESTION_EMPTY');
  });
});
