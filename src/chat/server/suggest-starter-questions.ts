import type { Article } from '../../index/article.js';
import type { Engine } from '../engine-types.js';

/**
 * Candidate questions built from an article's shape alone (headline, dateline, section headings), so
 * they work for any article. Quoted headings are a speaker's words ("Who said ...?"); short plain
 * headings name a topic ("What does the story say about early deployments?"); the rest are skipped.
 */
export function starterQuestionCandidates(article: Article): string[] {
  const candidates: string[] = ['What is this story about?'];
  for (const heading of article.sections) {
    const quoted = /^["“](.+)["”]$/u.exec(heading.trim());
    if (quoted !== null) {
      candidates.push(`Who said “${quoted[1]}”?`);
      continue;
    }
    const words = heading.trim().split(/\s+/);
    if (words.length <= 4 && /^[A-Z][a-z]+(?: [a-z]+)*$/.test(heading.trim())) {
      candidates.push(`What does the story say about ${heading.trim().toLowerCase()}?`);
    }
  }
  if (article.dateline !== undefined) {
    const place = article.dateline.split(',')[0]?.trim() ?? '';
    if (place !== '') candidates.push(`What is happening in ${titleCase(place)}?`);
  }
  candidates.push('Who was interviewed for this story?');
  return [...new Set(candidates)];
}

/**
 * Starter questions for the reader widget: candidates the engine actually answers from the article
 * (grounded, with citations), in candidate order, at most `max`. A question the engine refuses or
 * fails on is dropped, so a starter never leads to "the article doesn't say".
 */
export async function suggestStarterQuestions(engine: Engine, article: Article, max = 4): Promise<string[]> {
  const chosen: string[] = [];
  for (const question of starterQuestionCandidates(article)) {
    if (chosen.length >= max) break;
    try {
      // The extractive check is enough to know the article answers, and never waits on an LLM.
      const answer = await engine.ask(question, { article: article.slug, answerer: 'extractive' });
      if (answer.grounded && answer.citations.length > 0) chosen.push(question);
    } catch {
      // A refused candidate is simply not offered.
    }
  }
  return chosen;
}

/** "SUMY" -> "Sumy"; mixed-case names are kept as written. */
function titleCase(place: string): string {
  if (place !== place.toUpperCase()) return place;
  return place.toLowerCase().replace(/(^|[\s-])(\p{L})/gu, (_, sep: string, letter: string) => sep + letter.toUpperCase());
}
