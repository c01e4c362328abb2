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

describe('npm run eval (runCli with the real engine)', () => {
  let testEngine: TestEngine;
  let dir: string;

  beforeAll(async () => {
    testEngine = await createTestEngine();
    dir = await mkdtemp(path.join(os.tmpdir(), 'eval-runner-'));
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

  it('runs the smoke suite, exits 0, and writes a JSON report that parses and an HTML report', async () => {
    const json = path.join(dir, 'smoke.json');
    const html = path.join(dir, 'smoke.html');
    const { code, stdout, stderr } = await run(['--suite', SMOKE, '--report', json, '--html', html]);
    expect(stderr).toContain('running smoke (5 cases) against in-process');
    expect(code).toBe(0);
    expect(stdout).toContain('Suite smoke (evals/smoke.jsonl): PASS');
    expect(stdout).toMatch(/citation hit\s+\d\.\d{3} {3}>= 0\.500 ok/);
    expect(stdout).toContain('All 1 suites met their thresholds.');

    const report = await readJsonReport(json);
    expect(report.passed).toBe(true);
    expect(report.source).toBe('in-process');
    const suite = report.suites[0]!;
    expect(suite.cases.map((c) => c.id)).toEqual(['killed', 'troops-sent', 'maksym-age', 'bulat', 'off-topic']);
    const killed = suite.cases[0]!.turns[0]!;
    expect(killed.answer?.citations.map((c) => c.paragraph)).toContain(43);
    expect(killed.retrieval?.rank).toBeGreaterThanOrEqual(1);
    expect(suite.cases[4]!.turns[0]!.score.refusalCorrect).toBe(true);
    const page = await readFile(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).toContain('Some 4,700 North Korean soldiers were killed');
  });

  it('fails with exit 1 on a suite whose expectations were deliberately broken, and lists the failing turns', async () => {
    const good = path.join(dir, 'good.json');
    expect((await run(['--suite', SMOKE, '--report', good])).code).toBe(0);
    // Same suite name, so --compare matches the cases; every answerable expectation points at the wrong paragraph.
    const broken = path.join(dir, 'broken.jsonl');
    await writeFile(
      broken,
      [
        '{"suite":"smoke","article":"nk-troops-drone-warfare","thresholds":{"min":{"citationHit":0.8,"refusalAccuracy":1}}}',
        '{"id":"killed","turns":[{"question":"How many North Korean soldiers died in Kursk?","expect":{"paragraphs":[2],"evidence":["real-time classroom"],"terms":["4,701"]}}]}',
        '{"id":"troops-sent","turns":[{"question":"How many soldiers did North Korea send to Russia?","expect":{"paragraphs":[22],"evidence":["sounds like a helicopter"]}}]}',
        '{"id":"off-topic","turns":[{"question":"How many North Korean soldiers died in Kursk?","expect":{"unanswerable":true}}]}',
      ].join('\n'),
    );
    const { code, stdout } = await run(['--suite', broken, '--compare', good]);
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL');
    expect(stdout).toMatch(/citation hit\s+0\.000 {3}>= 0\.800 FAILED/);
    expect(stdout).toMatch(/refusal accuracy \(unanswerable\)\s+0\.000 {3}>= 1\.000 FAILED/);
    expect(stdout).toContain('✗ killed turn 1');
    expect(stdout).toContain('expected: ¶2; evidence "real-time classroom"; term "4,701"');
    expect(stdout).toMatch(/cited ¶43 \(wrong\)/);
    expect(stdout).toContain('answered an unanswerable question (grounded: true, cited ¶43');
    expect(stdout).toContain('Thresholds not met: smoke');
    expect(stdout).toMatch(/Cases that got worse: 3\n {2}smoke\/killed: passed -> fails/);
    expect(stdout).toContain('Removed cases: smoke/maksym-age, smoke/bulat');
  });

  it('exits 2 naming the file and line of a malformed suite line, before asking anything', async () => {
    const malformed = path.join(dir, 'malformed.jsonl');
    await writeFile(malformed, ['{"suite":"m"}', '{"id":"ok","turns":[{"question":"q","expect":{"unanswerable":true}}]}', '{"id":"bad",'].join('\n'));
    const { code, stderr, stdout } = await run(['--suite', malformed]);
    expect(code).toBe(2);
    expect(stderr).toContain(`eval: EVAL_SUITE_MALFORMED: ${malformed}:3: not valid JSON`);
    expect(stdout).toBe('');
  });

  it('exits 2 when evidence is not in the article, naming the line', async () => {
    const wrongEvidence = path.join(dir, 'wrong-evidence.jsonl');
    await writeFile(wrongEvidence, '{"id":"x","turns":[{"question":"q","expect":{"evidence":["not a phrase in the article"]}}]}\n');
    const { code, stderr } = await run(['--suite', wrongEvidence]);
    expect(code).toBe(2);
    expect(stderr).toContain(`EVAL_SUITE_INVALID: ${path.relative(REPO_ROOT, wrongEvidence)}:1: case "x" turn 1: evidence "not a phrase in the article" is not in the article`);
  });

  it('exits 2 with the usage on a bad flag or a bad --retriever', async () => {
    const unknown = await run(['--suites', SMOKE]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--suites'");
    expect(unknown.stderr).toContain('usage: npm run eval');
    const retriever = await run(['--retriever', 'magic']);
    expect(retriever).toMatchObject({ code: 2 });
    expect(retriever.stderr).toContain('--retriever must be dense, bm25 or hybrid, got "magic"');
    const ws = await run(['--ws', 'ws://127.0.0.1:1/ws', '--retriever', 'bm25']);
    expect(ws.code).toBe(2);
    expect(ws.stderr).toContain('a live server (--ws) uses its own');
  });

  it('passes --retriever to the engine and records it in the report', async () => {
    const json = path.join(dir, 'bm25.json');
    const { code } = await run(['--suite', SMOKE, '--retriever', 'bm25', '--report', json]);
    expect(code).toBe(0);
    const report = await readJsonReport(json);
    expect(report.retriever).toBe('bm25');
    expect(report.suites[0]!.metrics.recallAt5).not.toBeNull();
  });

  it('imports a feedback log into a draft suite and refuses to overwrite it without --force', async () => {
    const log = path.join(dir, 'feedback.jsonl');
    const out = path.join(dir, 'drafts', 'draft.jsonl');
    await writeFile(
      log,
      [
        '{"ts":"t1","user":"U1","kind":"helpful","question":"How old is Maksym?","article":"nk-troops-drone-warfare","cited":[54],"answer":"22 [¶54]","grounded":true}',
        '{"ts":"t2","user":"U2","kind":"wrong_citation","question":"Who is Bulat?","article":"nk-troops-drone-warfare","cited":[39],"answer":"He died [¶39]","grounded":true}',
      ].join('\n'),
    );
    const first = await run(['import-feedback', '--input', log, '--out', out]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Wrote 2 draft cases from 2 feedback lines');
    expect(first.stdout).toContain('1 answerable, 0 unanswerable, 1 to review');
    const draft = (await readFile(out, 'utf8')).trim().split('\n');
    expect(JSON.parse(draft[1]!)).toMatchObject({ id: 'fb-how-old-is-maksym', turns: [{ expect: { paragraphs: [54] } }] });
    const again = await run(['import-feedback', '--input', log, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('EVAL_DRAFT_EXISTS');
    expect((await run(['import-feedback', '--input', log, '--out', out, '--force'])).code).toBe(0);
  });

  it('imports the good lines of a log with a torn line, and names the line it skipped (issue 11 item 6)', async () => {
    const log = path.join(dir, 'torn.jsonl');
    const out = path.join(dir, 'drafts', 'torn-draft.jsonl');
    await writeFile(
      log,
      [
        '{"ts":"t1","channel":"widget","kind":"helpful","question":"How old is Maksym?","article":"nk-troops-drone-warfare","cited":["p54"],"answer":{"grounded":true,"text":"22 [¶54]"}}',
        // Two writers' lines run together, as the old appendFile left them.
        '{"ts":"t2","channel":"widget","kind":"helpful","question":"Who is Vl{"ts":"t3","kind":"helpful"}',
        '{"ts":"t4","channel":"widget","kind":"wrong_paragraph","question":"Who is Bulat?","article":"nk-troops-drone-warfare","cited":["p39"],"expected":["p37"],"answer":{"grounded":true,"text":"He died [¶39]"}}',
        '{"ts":"t5","channel":"widget","kind":"refused","article":"nk-troops-drone-warfare","cited":[],"answer":{"grounded":false,"text":null}}',
      ].join('\n'),
    );
    const { code, stdout } = await run(['import-feedback', '--input', log, '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^skipped .*torn\.jsonl:2: not valid JSON/m);
    expect(stdout).toContain('Wrote 2 draft cases from 2 feedback lines');
    expect(stdout).toContain('Skipped 1 broken line (listed above).');
    expect(stdout).toContain('1 logged refusal without question text (no consent) not imported.');
    const cases = (await readFile(out, 'utf8')).trim().split('\n').slice(1).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(cases[0]).toMatchObject({ id: 'fb-how-old-is-maksym', turns: [{ expect: { paragraphs: [54] } }] });
    expect(cases[1]).toMatchObject({ id: 'fb-who-is-bulat', turns: [{ expect: { paragraphs: [37] } }] });
    expect(cases[1]?.review).toContain('a reader marked the citation of ¶39 as wrong and named ¶37 instead');
  });
});
