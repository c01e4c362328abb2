import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJsonReport } from '../../src/eval/report-json.js';
import { runCli } from '../../src/eval/run-cli.js';
import { createTestEngine, REPO_ROOT, type TestEngine } from '../helpers/create-test-engine.js';

const SMOKE = path.join(REPO_ROOT, 'evals/smoke.jsonl');

function sink(): { stream: Writable; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('npm run eval -- --html (the report a person reads)', () => {
  let testEngine: TestEngine;
  let dir: string;

  beforeAll(async () => {
    testEngine = await createTestEngine();
    dir = await mkdtemp(path.join(os.tmpdir(), 'eval-html-'));
  });
  afterAll(async () => {
    await testEngine?.cleanup();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const out = sink();
    const err = sink();
    const code = await runCli({ argv, stdout: out.stream, stderr: err.stream, cwd: REPO_ROOT, engine: testEngine.engine });
    return { code, stdout: out.text(), stderr: err.text() };
  }

  it('writes the failure summary, tags, expected paragraph text and links under --article-base-url, and the --compare chart', async () => {
    const good = path.join(dir, 'good.json');
    expect((await run(['--suite', SMOKE, '--report', good])).code).toBe(0);
    const broken = path.join(dir, 'broken.jsonl');
    await writeFile(
      broken,
      [
        '{"suite":"smoke","article":"nk-troops-drone-warfare"}',
        '{"id":"killed","tags":["numbers"],"turns":[{"question":"How many North Korean soldiers died in Kursk?","expect":{"paragraphs":[2],"evidence":["real-time classroom"]}}]}',
        '{"id":"off-topic","turns":[{"question":"How many North Korean soldiers died in Kursk?","expect":{"unanswerable":true}}]}',
      ].join('\n'),
    );
    const html = path.join(dir, 'broken.html');
    const json = path.join(dir, 'broken.json');
    const { code } = await run(['--suite', broken, '--compare', good, '--html', html, '--report', json, '--article-base-url', 'https://news.example.org']);
    expect(code).toBe(0);
    const page = await readFile(html, 'utf8');
    expect(page).toContain('<h2 id="summary-title">Failures: 2 of 2 turns</h2>');
    expect(page).toContain('<div class="ft k-wrong_paragraph a-0 t-0">');
    expect(page).toContain('<div class="ft k-answered_unanswerable a-0">');
    expect(page).toContain('<a href="https://news.example.org/articles/nk-troops-drone-warfare#p2">¶2</a>');
    expect(page).toContain('<mark>real-time classroom</mark>');
    expect(page).toContain('<h2 id="compare-title">Compared with the earlier report</h2>');
    // Every citation of the broken run is wrong, so the chart shows citation hit falling by the whole earlier figure.
    const before = (await readJsonReport(good)).suites[0]!.metrics.citationHit!;
    expect(before).toBeGreaterThan(0.5);
    expect(page).toContain(`citation hit -${before.toFixed(3)}`);
    expect(page).toMatch(/aria-label="Change of each rate in smoke: [^"]*citation hit -/);
    expect(page).not.toMatch(/<script/i);
    // The JSON report keeps what the HTML showed: tags and the expected paragraph's text.
    const saved = await readJsonReport(json);
    expect(saved.suites[0]?.cases[0]?.tags).toEqual(['numbers']);
    expect(saved.suites[0]?.cases[0]?.turns[0]?.expected?.[0]).toMatchObject({ article: 'nk-troops-drone-warfare', paragraph: 2 });
    expect(saved.suites[0]?.cases[0]?.turns[0]?.expected?.[0]?.text).toContain('real-time classroom');
  });

  it('refuses an --article-base-url that is not an http(s) URL with exit 2', async () => {
    const { code, stderr } = await run(['--suite', SMOKE, '--article-base-url', 'javascript:alert(1)']);
    expect(code).toBe(2);
    expect(stderr).toContain('--article-base-url must be an http:// or https:// URL, got "javascript:alert(1)"');
  });
});
