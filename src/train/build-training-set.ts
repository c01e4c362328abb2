import type { Answer, Citation, ConversationTurn } from '../chat/answer-types.js';
import type { AnswerPipeline } from '../chat/pipeline/answer-pipeline.js';
import type { ArticleModel, SentenceModel } from '../chat/pipeline/article-model.js';
import type { StandaloneQuestion } from '../chat/standalone-question.js';
import type { QuestionContext } from '../chat/pipeline/features.js';
import { generateQuestions } from '../chat/pipeline/generate-questions.js';
import { seededRandom, shuffle } from '../seeded-random.js';
import type { Lexicon } from '../nlp/lexicon.js';
import { normalizeForMatch } from '../eval/match-text.js';
import type { Suite, SuiteTurn } from '../eval/suite-types.js';
import { resolveCaseArticle } from '../eval/validate-suite.js';

/**
 * The labelled questions the answer model is trained on:
 * - every turn of every `dev` case of the eval suites (hand-written questions; never a `test` case), follow-ups
 *   with the history their right earlier answers make;
 * - questions generated from the sentences of the articles those dev cases are about (generate-questions.ts), with
 *   WordNet paraphrase noise;
 * - "answer removed" copies: a question asked of its article with the paragraphs that answer it left out, which
 *   is what a near-topic question the article does not answer looks like to the engine.
 * Articles without dev cases (the held-out ones) contribute nothing, not even generated questions.
 */
export interface TrainingQuestion {
  readonly source: 'suite' | 'generated' | 'removed';
  /** For reports: `suite/case` or `generated/<slug>/<n>`. */
  readonly label: string;
  readonly slug: string;
  readonly text: string;
  /** Paragraph ids that answer; empty for an unanswerable question. */
  readonly paragraphs: ReadonlySet<string>;
  /** Sentence ids (in the article model) that hold the answer; empty when unanswerable. */
  readonly sentences: ReadonlySet<number>;
  /** Paragraphs hidden from the candidates ("answer removed" copies). */
  readonly exclude?: ReadonlySet<string>;
  /** For a follow-up turn: what the earlier turns' right answers quoted and cited. */
  readonly history?: { readonly quotes: readonly string[]; readonly paragraphs: ReadonlySet<string> };
}

export interface TrainingExample {
  readonly question: TrainingQuestion;
  readonly context: QuestionContext;
}

export interface BuildTrainingSetOptions {
  readonly suites: readonly Suite[];
  readonly pipeline: AnswerPipeline;
  readonly lexicon: Lexicon;
  /** The engine's follow-up rewrite: a conversation's later turns are trained on as the engine will see them. */
  readonly standaloneQuestion: StandaloneQuestion;
  /** Generated questions per article (before removal copies); default 120. */
  readonly generatedPerArticle?: number;
  /** Share of answerable questions that also get an "answer removed" copy; default 0.5. */
  readonly removedShare?: number;
}

export function collectTrainingQuestions(options: BuildTrainingSetOptions): TrainingQuestion[] {
  const { pipeline } = options;
  const random = seededRandom(11);
  const questions: TrainingQuestion[] = [];
  const devArticles = new Set<string>();
  for (const suite of options.suites) {
    for (const testCase of suite.cases) {
      if (testCase.split !== 'dev') continue;
      const slug = resolveCaseArticle(suite, testCase, pipeline.articles);
      if (slug === undefined) continue;
      devArticles.add(slug);
      questions.push(...caseQuestions(`${suite.name}/${testCase.id}`, testCase.turns, slug, pipeline.articleModel(slug), options.standaloneQuestion));
    }
  }
  for (const slug of [...devArticles].sort()) {
    const model = pipeline.articleModel(slug);
    const generated = generateQuestions({ model, lexicon: options.lexicon, paraphrase: 0.3, random, perSentence: 2 });
    shuffle(generated, random);
    generated.slice(0, options.generatedPerArticle ?? 120).forEach((g, n) => {
      const sentences = new Set<number>([g.sentence.id]);
      // The same fact told again elsewhere (a caption repeating the body) answers too.
      if (g.answer !== undefined) {
        for (const other of model.sentences) {
          if (other.id !== g.sentence.id && other.sentence.text.includes(g.answer) && sharesWords(other.sentence.text, g.question, 0.6)) sentences.add(other.id);
        }
      }
      const paragraphs = new Set([...sentences].map((id) => model.sentences[id]!.paragraph.id));
      questions.push({ source: 'generated', label: `generated/${slug}/${n}`, slug, text: g.question, paragraphs, sentences });
    });
  }
  const removedShare = options.removedShare ?? 0.5;
  const answerable = questions.filter((q) => q.paragraphs.size > 0);
  for (const q of answerable) {
    if (random() >= removedShare) continue;
    questions.push({ ...q, source: 'removed', label: `${q.label}#removed`, paragraphs: new Set(), sentences: new Set(), exclude: q.paragraphs });
  }
  return questions;
}

/**
 * One dev case's questions: every turn, later turns made standalone with the history the right earlier answers
 * would have made (what they quoted and cited), so the ranker learns what a follow-up looks like.
 */
function caseQuestions(
  label: string,
  turns: readonly SuiteTurn[],
  slug: string,
  model: ArticleModel,
  standaloneQuestion: StandaloneQuestion,
): TrainingQuestion[] {
  const out: TrainingQuestion[] = [];
  const history: ConversationTurn[] = [];
  turns.forEach((turn, t) => {
    const text = t === 0 ? turn.question : standaloneQuestion(turn.question, history);
    const recent = history.slice(-2).flatMap((h) => h.answer.citations);
    const base = {
      source: 'suite' as const,
      label: t === 0 ? label : `${label}#${t + 1}`,
      slug,
      text,
      ...(t === 0 ? {} : { history: { quotes: recent.map((c) => c.quote), paragraphs: new Set(recent.map((c) => c.id)) } }),
    };
    if (turn.expect.unanswerable) {
      out.push({ ...base, paragraphs: new Set(), sentences: new Set() });
      history.push({ question: turn.question, answer: goldAnswer([]) });
      return;
    }
    const paragraphs = new Set<string>();
    for (const p of model.paragraphs) {
      const paragraphText = normalizeForMatch(p.paragraph.text);
      const listed = turn.expect.paragraphs.includes(p.paragraph.number);
      const evidenced = turn.expect.evidence.some((alts) => alts.some((a) => paragraphText.includes(normalizeForMatch(a))));
      if (listed || evidenced) paragraphs.add(p.paragraph.id);
    }
    const passages = turn.expect.evidence.flat();
    const sentences = new Set<number>();
    for (const p of model.paragraphs) {
      if (!paragraphs.has(p.paragraph.id)) continue;
      const holding = p.sentences.filter((id) => passages.some((a) => overlaps(model.sentences[id]!.sentence.text, a)));
      for (const id of holding.length > 0 ? holding : p.sentences) sentences.add(id);
    }
    out.push({ ...base, paragraphs, sentences });
    history.push({ question: turn.question, answer: goldAnswer([...sentences].map((id) => model.sentences[id]!)) });
  });
  return out;
}

/** The answer a conversation's earlier turn should have had: its answer sentences, cited. */
function goldAnswer(sentences: readonly SentenceModel[]): Answer {
  const citations: Citation[] = sentences.map((s) => ({
    id: s.paragraph.id,
    article: s.paragraph.article,
    paragraph: s.paragraph.number,
    text: s.paragraph.text,
    quote: s.sentence.text,
  }));
  return {
    answer: sentences.map((s) => s.sentence.text).join(' '),
    grounded: sentences.length > 0,
    confidence: sentences.length > 0 ? 1 : 0,
    citations,
    related: [],
    answerer: 'gold',
    notes: [],
  };
}

/** Whether a sentence holds (part of) an evidence passage: the passage itself, or four of its words in a row. */
function overlaps(sentence: string, passage: string): boolean {
  const s = normalizeForMatch(sentence);
  const p = normalizeForMatch(passage);
  if (s.includes(p) || p.includes(s)) return true;
  const words = p.split(' ');
  for (let i = 0; i + 4 <= words.length; i += 1) if (s.includes(words.slice(i, i + 4).join(' '))) return true;
  return false;
}

function sharesWords(a: string, b: string, share: number): boolean {
  const wa = new Set(normalizeForMatch(a).split(/\W+/).filter((w) => w.length > 3));
  const wb = normalizeForMatch(b).split(/\W+/).filter((w) => w.length > 3);
  if (wb.length === 0) return false;
  return wb.filter((w) => wa.has(w)).length / wb.length >= share;
}
