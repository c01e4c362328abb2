import type { Article } from '../index/article.js';
import type { ConversationTurn } from './answer-types.js';

/**
 * The article a typed summary request is about, or undefined when `question` is not a summary request
 * (see `isSummaryRequest`) or it is unclear which story it means. The story is: the `article` the caller
 * restricted the question to; else the only article of a one-article corpus; else the article every
 * citation of the latest answered turn names. In a many-article corpus with none of these, the question
 * is answered as an ordinary question.
 */
export function summaryArticle(
  question: string,
  context: { readonly article: string | undefined; readonly history: readonly ConversationTurn[]; readonly articles: readonly Article[] },
): string | undefined {
  if (!isSummaryRequest(question)) return undefined;
  if (context.article !== undefined) return context.article;
  if (context.articles.length === 1) return context.articles[0]!.slug;
  const latest = [...context.history].reverse().find((turn) => turn.answer.citations.length > 0);
  const cited = new Set(latest?.answer.citations.map((c) => c.article) ?? []);
  return cited.size === 1 ? [...cited][0] : undefined;
}

/**
 * Whether a reader's typed question asks for a summary of the whole story ("Summarize this story", "What
 * are the key points?", "give me the gist", "tl;dr") rather than for one fact. Such a question is answered
 * by `engine.summarize`, not by retrieval.
 *
 * Recognised: the whole question (after dropping politeness such as "please", "can you", "could you", and
 * trailing punctuation) is one of
 * - a summary verb on the story: "summarize / summarise / sum up / recap [this|the] [story|article|piece|
 *   report|it]" (the object optional), "sum it up";
 * - a request for its gist: "[give me|what is|what's|tell me] the gist / a summary / the summary / the key
 *   points / the main points / the highlights / the takeaways / the key facts / the rundown / a recap
 *   [of this story]";
 * - "what are the key / main points (facts, takeaways) [of this story]", "key points", "tl;dr", "tldr",
 *   "in a nutshell", "the short version".
 * Anything with more in it ("Summarize what Vlad said about the drones") is an ordinary question: the
 * summary is of the story, never of one topic in it.
 */
export function isSummaryRequest(question: string): boolean {
  const text = question
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[?!.…\s]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(POLITE_OPENING, '')
    .replace(POLITE_CLOSING, '')
    .trim();
  return SUMMARY_REQUESTS.some((pattern) => pattern.test(text));
}

const POLITE_OPENING = /^(?:(?:ok(?:ay)?|hi|hey|so),? )?(?:please |pls |(?:can|could|would|will) you(?: please)? |i(?:'d| would) like (?:you to )?|i want (?:you to )?)?/;
const POLITE_CLOSING = /(?:,? please| for me| quickly| briefly| in brief| in short)+$/;

const STORY = '(?:this|the|that) (?:news )?(?:story|article|piece|report)';
/** "Summarize [this story | it | this]". */
const OBJECT = `(?: ${STORY}| it| this)?`;
/** "the key points [of this story | of it]". */
const OF_STORY = `(?: (?:of|in|from|for) (?:${STORY}|it))?`;
const WHAT = '(?:points?|facts?|takeaways?|details|things|ideas|highlights)';
const SUMMARY_REQUESTS: readonly RegExp[] = [
  new RegExp(`^(?:summari[sz]e|sum up|recap)${OBJECT}$`),
  new RegExp(`^sum (?:it|${STORY}) up$`),
  new RegExp(
    `^(?:(?:give|tell|show) me |what(?: is|'s) |what are |list )?(?:the |a |an )?` +
      `(?:gist|summary|recap|rundown|overview|short version|tl;?dr|(?:key|main|most important|important|big) ${WHAT})${OF_STORY}$`,
  ),
  /^(?:tl;?dr|in a nutshell)$/,
  new RegExp(`^what(?: is|'s) ${STORY} (?:mainly |basically )?about$`),
];
