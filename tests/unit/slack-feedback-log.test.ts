import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeedbackLog, type FeedbackRecord } from '../../src/chat/slack/feedback-log.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nqa-feedback-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function record(i: number): FeedbackRecord {
  return {
    ts: new Date(0).toISOString(),
    user: `U${i}`,
    kind: 'helpful',
    question: `Question ${i} with "quotes"\nand a newline?`,
    article: 'a',
    cited: [`p${i}`],
    answer: { grounded: true, text: null },
  };
}

describe('createFeedbackLog', () => {
  it('appends one JSON object per line, creating the directory, without interleaving concurrent writes', async () => {
    const file = path.join(dir, 'nested', 'feedback.jsonl');
    const log = createFeedbackLog({ file });
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(record(i))));
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l) as FeedbackRecord)).toEqual(Array.from({ length: 20 }, (_, i) => record(i)));
  });

  it('rejects an append that cannot be written and keeps accepting later ones', async () => {
    // A file where the log's directory should be makes the write fail.
    await writeFile(path.join(dir, 'not-a-dir'), 'x');
    const blocked = createFeedbackLog({ file: path.join(dir, 'not-a-dir', 'x.jsonl') });
    await expect(blocked.append(record(1))).rejects.toThrow(/EEXIST|ENOTDIR/);
    const ok = createFeedbackLog({ file: path.join(dir, 'ok.jsonl') });
    await ok.append(record(2));
    expect(JSON.parse(await readFile(path.join(dir, 'ok.jsonl'), 'utf8'))).toEqual(record(2));
  });
});
