import type { Article } from '../../index/article.js';
import type { Answer } from '../answer-types.js';
import type { Engine } from '../engine-types.js';

/**
 * Starter questions for the reader widget, in two separate parts:
 * - a **candidate source** (`starterQuestionCandidates`): questions built from the article's text in a
 *   generic way. It may be replaced (e.g. by the engine's own question generator) without touching the
 *   selection;
 * - the **selection** (`selectStarterQuestions`): asks the engine each candidate and keeps, in candidate
 *   order and at most `max`, only those answered grounded with `confidence >= minConfidence` whose answer
 *   is not a bare quote fragment.
 * "Summarize this story" is not among them: the widget always offers it first, as its own request.
 */

/** Only answers the engine is this sure of become starters: a starter must never lead to a weak answer. */
export const STARTER_MIN_CONFIDENCE = 0.8;
/** How many starters the widget shows. */
export const STARTER_MAX = 4;

/** How many "Who is ...?" candidates at most: the most mentioned people first. */
const MAX_PEOPLE = 4;

/**
 * Candidate questions built from the article's text alone, so they work for any article: "Who is <name>?"
 * for the people the story quotes or introduces (see `peopleIn`), most mentioned first, and "Who was
 * interviewed for this story?". Section headings are not used (a heading names a topic, not a question
 * the story answers), nor the dateline ("What is happening in <place>?" drew vague answers).
 */
export function starterQuestionCandidates(article: Article): string[] {
  const candidates = peopleIn(article.paragraphs.map((p) => p.text).join('\n'))
    .slice(0, MAX_PEOPLE)
    .map((name) => `Who is ${name}?`);
  candidates.push('Who was interviewed for this story?');
  return [...new Set(candidates)];
}

/** One to three capitalised words: how a person's name is written. */
const NAME = "[A-Z][\\p{Ll}'’-]+(?:\\s[A-Z][\\p{Ll}'’-]+){0,2}";
/** Verbs of speech that attribute a quote or claim to a person. */
const REPORTING_VERBS =
  'said|says|told|tells|recalled|recalls|added|adds|explained|explains|warned|warns|wrote|writes|argued|argues|asked|asks|noted|notes|cautioned|cautions|insisted|insists|testified|testifies|acknowledged|acknowledges|admitted|admits|replied|replies';
/** Ways a story marks a name as a person's: an age ("Vlad, 31,"), an apposition ("X, a spokesman"), speech ("X said", "says X", "according to X"). */
const PERSON_CUES: readonly RegExp[] = [
  new RegExp(`(?<![\\p{L}'’-])(${NAME}),\\s\\d{1,3},\\s`, 'gu'),
  new RegExp(`(?<![\\p{L}'’-])(${NAME}),\\s(?:a|an|the|who)\\s\\p{Ll}`, 'gu'),
  new RegExp(`(?<![\\p{L}'’-])(${NAME})\\s(?:${REPORTING_VERBS})\\b`, 'gu'),
  new RegExp(`\\b(?:said|says|according to)\\s(${NAME})(?![\\p{L}'’-])`, 'gu'),
];
/** Capitalised only because they open a sentence, or a title before the name (dropped). */
const FUNCTION_WORDS = new Set(
  [
    'The A An This That These Those It Its He She They We I You In On At But And So Now Then Today Yesterday Tomorrow Instead However',
    'Meanwhile For With After Before When While As If Since Until By From Of Inside Outside Under Over Last Next Some Many Most Both',
    'Each Every Another Other Such There Here What Who Why How Where Still Even Also Only Just Yet',
    // Days and months open sentences ("On Tuesday, ...") and take appositions too.
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December',
  ]
    .join(' ')
    .split(' '),
);
const TITLES = new Set(
  [
    'Mr Mrs Ms Dr Prof Capt Gen Col Lt Sgt Maj Adm Cpl Pvt Gov Sen Rep Pres St Judge Justice Mayor President Council Councilman',
    'Councilwoman Chief Coach Director Officer Commander Captain General Colonel Sergeant Minister Secretary Senator Governor Professor',
    'Doctor Father Sister Brother Rev Reverend Superintendent Commissioner Chairman Chairwoman Chair Principal Trustee Sheriff Deputy',
    'Detective Inspector Ambassador Attorney Manager Supervisor Senior Junior',
  ]
    .join(' ')
    .split(' '),
);
/** A name right after these words is a place or a thing ("in Kursk", "the Coyotes", "by Russia"), not a person. */
const NOT_PERSON_BEFORE = /(?:^|\s)(?:in|at|from|near|outside|across|into|on|the|of|by|against|toward|towards|throughout|within)\s$/;

/**
 * The people a story quotes or introduces, most mentioned first (by how often the last name occurs), each
 * under the fullest form of the name the story uses. A name that also follows a place preposition or
 * "the" anywhere in the story is taken for a place or an organisation and left out.
 */
export function peopleIn(text: string): string[] {
  const cued = new Set<string>();
  for (const cue of PERSON_CUES) {
    for (const match of text.matchAll(cue)) {
      const words = match[1]!.split(/\s/);
      while (words.length > 0 && (FUNCTION_WORDS.has(words[0]!) || TITLES.has(words[0]!.replace(/\.$/, '')))) words.shift();
      if (words.length > 0) cued.add(words.join(' '));
    }
  }
  const isPlaceLike = (name: string): boolean => {
    for (const match of text.matchAll(new RegExp(`(?<![\\p{L}'’-])${escapeRegExp(name)}(?![\\p{L}'’-])`, 'gu'))) {
      if (NOT_PERSON_BEFORE.test(text.slice(Math.max(0, match.index - 12), match.index))) return true;
    }
    return false;
  };
  // "Vail" is "Garrett Vail" where the story names him in full.
  const fuller = (name: string): string => {
    if (name.includes(' ')) return name;
    const forms = new Map<string, number>();
    for (const match of text.matchAll(new RegExp(`(?<![\\p{L}'’-])([A-Z][\\p{Ll}'’-]+)\\s${escapeRegExp(name)}(?![\\p{L}'’-])`, 'gu'))) {
      if (!FUNCTION_WORDS.has(match[1]!) && !TITLES.has(match[1]!)) forms.set(match[1]!, (forms.get(match[1]!) ?? 0) + 1);
    }
    const first = [...forms.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    return first === undefined ? name : `${first} ${name}`;
  };
  const people = [...new Set([...cued].filter((name) => !isPlaceLike(name)).map(fuller))];
  // "Okafor" and "Nadia Okafor" are one person: keep the fullest form.
  const fullest = people.filter((name) => !people.some((other) => other !== name && other.endsWith(` ${name}`)));
  const mentions = (name: string): number => text.split(name.split(' ').at(-1)!).length - 1;
  return fullest.sort((a, b) => mentions(b) - mentions(a) || a.localeCompare(b));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface StarterSelectionOptions {
  /** Keep only answers at least this sure; default `STARTER_MIN_CONFIDENCE`. */
  readonly minConfidence?: number;
  /** Default `STARTER_MAX`. */
  readonly max?: number;
}

/**
 * Asks each candidate in order and keeps those whose answer is grounded, cites something, is at least
 * `minConfidence` sure and is not a bare quote fragment (see `isBareQuoteFragment`), until `max` are
 * kept. A candidate whose answer fails (throws) is dropped.
 */
export async function selectStarterQuestions(
  candidates: readonly string[],
  ask: (question: string) => Promise<Answer>,
  options: StarterSelectionOptions = {},
): Promise<string[]> {
  const minConfidence = options.minConfidence ?? STARTER_MIN_CONFIDENCE;
  const max = options.max ?? STARTER_MAX;
  const chosen: string[] = [];
  for (const question of candidates) {
    if (chosen.length >= max) break;
    let answer: Answer;
    try {
      answer = await ask(question);
    } catch {
      continue; // a refused candidate is simply not offered
    }
    if (!answer.grounded || answer.citations.length === 0 || answer.confidence < minConfidence) continue;
    if (isBareQuoteFragment(answer)) continue;
    chosen.push(question);
  }
  return chosen;
}

/**
 * True when the answer, read on its own, is a bare quote fragment: most of its words lie inside quotation
 * marks ("That," he says, "is a fact."), or it is a few words (under six) that stand for no statement.
 * Such an answer is right but useless as the first thing a reader sees.
 */
export function isBareQuoteFragment(answer: Answer): boolean {
  const text = answer.answer.replace(/\s*\[¶\d+\]/g, '').trim();
  const words = text.split(/\s+/).filter(Boolean).length;
  if (words < 6) return true;
  let quoted = 0;
  for (const match of text.matchAll(/["“]([^"”]*)["”]?/g)) quoted += match[1]!.split(/\s+/).filter(Boolean).length;
  return quoted / words > 0.6;
}

/**
 * The widget's starter questions for an article: the candidates, then the selection, asked of the
 * extractive answerer (it is enough to know the article answers, and never waits on an LLM).
 */
export async function suggestStarterQuestions(engine: Engine, article: Article, options: StarterSelectionOptions = {}): Promise<string[]> {
  return selectStarterQuestions(
    starterQuestionCandidates(article),
    (question) => engine.ask(question, { article: article.slug, answerer: 'extractive' }),
    options,
  );
}
