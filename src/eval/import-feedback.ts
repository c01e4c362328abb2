import { EvalError } from '../errors.js';

/**
 * Feedback (the shared feedback log: the Slack bot's clicks and the reader widget's ratings and refusals)
 * turned into a draft eval suite for a person to review.
 *
 * Accepted lines (JSONL), all shapes:
 * - `{"ts","user","kind":"helpful"|"wrong_citation"|"not_in_article","question","article","cited":[12],
 *    "answer":"...","grounded":true}`
 * - the Slack bot's log: `kind` `wrong_paragraph`, `cited` as ids (`["p12"]`), `answer: {grounded, text}`.
 * - the reader widget's (`"channel":"widget"`): `kind` `helpful` (thumbs up), `unhelpful` (thumbs down),
 *   `wrong_paragraph` with an optional `expected: ["p12"]` (the ¶ the reader picked), and `refused` (a
 *   refusal, logged by the server; `question` only when the reader's page gave consent).
 * Mapping: `helpful` with citations -> a case expecting those paragraphs; `helpful` on a refusal and
 * `not_in_article` -> an unanswerable case; `wrong_citation`, `unhelpful` and `refused` -> a case with a
 * `review` note, which the suite parser refuses until a person resolves it (a reader's pick of the right
 * ¶ is filled in as `expect.paragraphs` for the reviewer to confirm). Feedback on the same question is
 * merged; when it disagrees, the case goes to review too.
 */
export type FeedbackKind = 'helpful' | 'unhelpful' | 'wrong_citation' | 'not_in_article' | 'refused';

export interface FeedbackEntry {
  readonly line: number;
  readonly ts: string;
  readonly kind: FeedbackKind;
  readonly question: string;
  readonly article: string | undefined;
  /** Cited paragraph numbers. */
  readonly cited: readonly number[];
  /** Paragraph numbers the person said answer instead (a wrong-source pick); empty when none was named. */
  readonly expected: readonly number[];
  /** Where the feedback came from: `slack` (lines without a channel) or `widget`. */
  readonly channel: string;
  readonly grounded: boolean | undefined;
  readonly answer: string | undefined;
}

const KINDS: Readonly<Record<string, FeedbackKind>> = {
  helpful: 'helpful',
  unhelpful: 'unhelpful',
  wrong_citation: 'wrong_citation',
  wrong_paragraph: 'wrong_citation',
  not_in_article: 'not_in_article',
  refused: 'refused',
};

/** A line `readFeedbackLog` could not use, with the reason (`file:line: ...`). */
export interface SkippedFeedbackLine {
  readonly line: number;
  readonly problem: string;
}

export interface FeedbackLogContents {
  readonly entries: FeedbackEntry[];
  /** Broken lines (not JSON, e.g. a torn write; unknown kind; bad fields), each reported, none fatal. */
  readonly skipped: SkippedFeedbackLine[];
  /** Logged refusals without question text (the reader's page gave no consent): counted, not cases. */
  readonly refusalsWithoutQuestion: number;
}

/**
 * Reads a feedback log, skipping what it cannot use: a broken line (not JSON, a torn or interleaved
 * write, an unknown kind, bad fields) is reported in `skipped` as `file:line: problem` and the rest of the
 * file is still imported.
 */
export function readFeedbackLog(text: string, file: string): FeedbackLogContents {
  const entries: FeedbackEntry[] = [];
  const skipped: SkippedFeedbackLine[] = [];
  let refusalsWithoutQuestion = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const at = `${file}:${line}`;
    const skip = (problem: string): void => {
      skipped.push({ line, problem: `${at}: ${problem}` });
    };
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (cause) {
      skip(`not valid JSON (${(cause as Error).message})`);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      skip('expected a JSON object');
      return;
    }
    const record = value as Record<string, unknown>;
    const kind = typeof record.kind === 'string' ? KINDS[record.kind] : undefined;
    if (kind === undefined) {
      skip(`"kind" must be helpful, unhelpful, wrong_citation (or wrong_paragraph), not_in_article or refused, got ${JSON.stringify(record.kind)}`);
      return;
    }
    if (kind === 'refused' && record.question === undefined) {
      refusalsWithoutQuestion += 1;
      return;
    }
    if (typeof record.question !== 'string' || record.question.trim() === '') {
      skip('"question" must be a non-empty string');
      return;
    }
    const cited = parseCited(record.cited);
    if (cited === undefined) {
      skip('"cited" must be an array of paragraph numbers (12) or ids ("p12")');
      return;
    }
    const expected = parseCited(record.expected);
    if (expected === undefined) {
      skip('"expected" must be an array of paragraph numbers (12) or ids ("p12")');
      return;
    }
    const nested = typeof record.answer === 'object' && record.answer !== null ? (record.answer as Record<string, unknown>) : undefined;
    const grounded = typeof record.grounded === 'boolean' ? record.grounded : typeof nested?.grounded === 'boolean' ? nested.grounded : undefined;
    const answer = typeof record.answer === 'string' ? record.answer : typeof nested?.text === 'string' ? nested.text : undefined;
    entries.push({
      line,
      ts: typeof record.ts === 'string' ? record.ts : String(record.ts ?? ''),
      kind,
      question: record.question.replace(/\s+/g, ' ').trim(),
      article: typeof record.article === 'string' && record.article !== '' ? record.article : undefined,
      cited,
      expected,
      channel: typeof record.channel === 'string' ? record.channel : 'slack',
      grounded,
      answer,
    });
  });
  return { entries, skipped, refusalsWithoutQuestion };
}

/**
 * Parses a feedback log strictly: every bad line is reported as `file:line: ...` in one `EvalError`
 * (`EVAL_FEEDBACK_INVALID`). `npm run eval -- import-feedback` uses `readFeedbackLog`, which skips them.
 */
export function parseFeedbackLog(text: string, file: string): FeedbackEntry[] {
  const { entries, skipped } = readFeedbackLog(text, file);
  if (skipped.length > 0) throw new EvalError('EVAL_FEEDBACK_INVALID', skipped.map((s) => s.problem).join('\n'));
  return entries;
}

function parseCited(value: unknown): number[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return undefined;
  const numbers: number[] = [];
  for (const item of value) {
    const n = typeof item === 'number' ? item : typeof item === 'string' ? Number(/^p(\d+)$/.exec(item)?.[1] ?? Number.NaN) : Number.NaN;
    if (!Number.isInteger(n) || n < 1) return undefined;
    if (!numbers.includes(n)) numbers.push(n);
  }
  return numbers;
}

export interface DraftSummary {
  /** The draft suite as JSONL text, header first. */
  readonly text: string;
  readonly cases: number;
  readonly answerable: number;
  readonly unanswerable: number;
  readonly review: number;
}

/**
 * Builds the draft suite. Cases come in the order their question first appears in the log; ids are
 * `fb-<words of the question>` made unique with a number.
 */
export function buildFeedbackDraft(entries: readonly FeedbackEntry[], options: { readonly source: string; readonly createdAt: string }): DraftSummary {
  const groups = new Map<string, FeedbackEntry[]>();
  for (const entry of entries) {
    const key = `${entry.article ?? ''}\u0000${entry.question.toLowerCase()}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [entry]);
    else group.push(entry);
  }
  const header = {
    suite: 'feedback-draft',
    description: `Draft cases imported from ${options.source} on ${options.createdAt}. Review every case (add "evidence", resolve each "review" note), then move the cases into a suite in evals/.`,
  };
  const lines = [JSON.stringify(header)];
  const usedIds = new Set<string>();
  let answerable = 0;
  let unanswerable = 0;
  let review = 0;
  for (const group of groups.values()) {
    const first = group[0]!;
    const id = uniqueId(first.question, usedIds);
    const from = `feedback ${group.map((e) => `${e.kind} at ${e.ts} (${options.source}:${e.line})`).join(', ')}`;
    const base = { id, ...(first.article === undefined ? {} : { article: first.article }) };
    const verdict = decide(group);
    if (verdict.kind === 'answerable') {
      answerable += 1;
      lines.push(JSON.stringify({ ...base, tags: ['feedback'], note: from, turns: [{ question: first.question, expect: { paragraphs: verdict.paragraphs } }] }));
    } else if (verdict.kind === 'unanswerable') {
      unanswerable += 1;
      lines.push(JSON.stringify({ ...base, tags: ['feedback', 'unanswerable'], note: from, turns: [{ question: first.question, expect: { unanswerable: true } }] }));
    } else {
      review += 1;
      const expect = verdict.paragraphs === undefined ? {} : { paragraphs: verdict.paragraphs };
      lines.push(JSON.stringify({ ...base, tags: ['feedback'], review: `${verdict.reason}; ${from}`, turns: [{ question: first.question, expect }] }));
    }
  }
  return { text: `${lines.join('\n')}\n`, cases: groups.size, answerable, unanswerable, review };
}

type Verdict =
  | { kind: 'answerable'; paragraphs: number[] }
  | { kind: 'unanswerable' }
  | { kind: 'review'; reason: string; paragraphs?: number[] };

function decide(all: readonly FeedbackEntry[]): Verdict {
  // A logged refusal is no verdict on its own: a person's rating of the same question decides.
  const rated = all.filter((e) => e.kind !== 'refused');
  const group = rated.length > 0 ? rated : all;
  const labels = new Set(group.map(label));
  const channels = new Set(group.map((e) => e.channel));
  const source = channels.size > 1 ? '' : channels.has('widget') ? 'reader ' : 'staff ';
  if (labels.size > 1) return { kind: 'review', reason: `${source}feedback disagrees (${[...labels].join(' vs ')}): decide what the article says` };
  const entry = group[0]!;
  const answer = entry.answer === undefined ? '' : ` The answer was: ${JSON.stringify(entry.answer)}.`;
  const cited = entry.cited.map((n) => `¶${n}`).join(', ') || 'nothing';
  const who = entry.channel === 'widget' ? 'a reader' : 'staff';
  if (entry.kind === 'wrong_citation') {
    const picked = [...new Set(group.flatMap((e) => e.expected))];
    if (picked.length > 0) {
      return {
        kind: 'review',
        paragraphs: picked,
        reason: `${who} marked the citation of ${cited} as wrong and named ${picked.map((n) => `¶${n}`).join(', ')} instead.${answer} Check that it answers (fix "expect" if not), then delete "review"`,
      };
    }
    return {
      kind: 'review',
      reason: `${who} marked the citation of ${cited} as wrong.${answer} Find the paragraph that answers (or mark the case unanswerable), fill in "expect", then delete "review"`,
    };
  }
  if (entry.kind === 'unhelpful') {
    return {
      kind: 'review',
      reason: `${who} marked the answer citing ${cited} as unhelpful.${answer} Decide which paragraph answers (or that none does), fill in "expect", then delete "review"`,
    };
  }
  if (entry.kind === 'refused') {
    return {
      kind: 'review',
      reason: `the engine said the article doesn't say (refused, ${group.length}x). If a paragraph answers, put it in "expect.paragraphs"; otherwise set "expect": {"unanswerable": true}; then delete "review"`,
    };
  }
  if (entry.kind === 'not_in_article') return { kind: 'unanswerable' };
  return label(entry) === 'helpful refusal' ? { kind: 'unanswerable' } : { kind: 'answerable', paragraphs: [...entry.cited] };
}

function label(entry: FeedbackEntry): string {
  if (entry.kind !== 'helpful') return entry.kind;
  if (entry.grounded === false || entry.cited.length === 0) return 'helpful refusal';
  return `helpful ${entry.cited.map((n) => `¶${n}`).join('+')}`;
}

function uniqueId(question: string, used: Set<string>): string {
  const words = question
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 6)
    .join('-');
  const base = `fb-${words || 'question'}`;
  let id = base;
  for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`;
  used.add(id);
  return id;
}
