import { tokenize, words } from '../index/tokenize.js';

/**
 * What kind of answer a question asks for. The extractive answerer prefers sentences that hold such
 * an answer (a number for "how many", a person for "who", a time for "when") and, for the strict kinds,
 * refuses when no retrieved sentence holds one.
 */
export type AnswerType = 'count' | 'age' | 'person' | 'time' | 'place' | 'reason' | 'outcome' | 'general';

export interface QuestionAnalysis {
  readonly type: AnswerType;
  /** "Who is Bulat?", "Where is Kursk?": the name asked about, answered by the sentence that introduces it. */
  readonly identityOf: string | undefined;
  /** "What did Putin say ...?": the speaker whose quoted words answer. */
  readonly speaker: string | undefined;
  /** Stemmed content terms, stop words and question words removed. */
  readonly terms: readonly string[];
  /** The question asks us to drop our rules or reveal our prompt: never answered from the article. */
  readonly isInstruction: boolean;
}

const TYPE_PATTERNS: ReadonlyArray<[AnswerType, RegExp]> = [
  ['age', /\bhow old\b|\bwhat (?:is|was) (?:the |his |her )?age\b|\bages? of\b|\bwhat age\b|\btheir ages\b|\band ages\b/i],
  ['count', /\bhow (?:many|much)\b|\bwhat (?:number|percentage|share|proportion)\b|\bhow large\b|\bhow big\b|\bnumber of\b|\bcount\b/i],
  ['time', /\bwhen\b|\bwhat (?:year|month|day|date|time)\b|\bwhich (?:year|month|day|date)\b|\bhow long ago\b|\bwhat season\b/i],
  ['place', /\bwhere\b|\bwhich (?:country|region|city|town|place)\b|\bwhat (?:country|region|city|town|place)\b/i],
  ['outcome', /\bwhat (?:happened|happens) (?:to|with)\b|\bwhat became of\b|\bwhat (?:was|is) the (?:fate|outcome)\b|\bdid (?:he|she|they|the \w+) (?:survive|live|make it)\b/i],
  ['reason', /\bwhy\b|\bwhat (?:was |is )?the reason\b|\bfor what reason\b|\bhow come\b|\bwhat (?:made|drove|motivat)/i],
  ['person', /\bwho\b|\bwhom\b|\bwhose\b|\bwhich (?:person|soldier|official|commander|leader|analyst|spokesman)\b|\bwhat (?:is|was|are|were) (?:the |his |her |their )?names?\b|\bnames? of\b|\bcall sign\b/i],
];

const INSTRUCTION_PATTERNS: readonly RegExp[] = [
  /\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|rules?|prompt|guidelines|previous|above|everything)\b/i,
  /\b(?:system|developer|hidden|initial) (?:prompt|message|instructions?)\b/i,
  /\byou are (?:now|no longer)\b|\bact as\b|\bpretend (?:to be|you)\b|\bjailbreak\b|\bdeveloper mode\b/i,
  /\b(?:reveal|print|show|repeat|output)\b.{0,30}\b(?:prompt|instructions?|configuration|api key|secret)\b/i,
];

/** "Who is Bulat?", "What is the Baba Yaga?", "Where is Kursk?": answered by the sentence introducing the name. */
const IDENTITY = /^\s*(?:[Ww]ho|[Ww]hat|[Ww]here)\s+(?:is|was|are|were)\s+(?:the\s+)?((?:\p{Lu}[\p{Ll}'’-]+\s*){1,3})\??\s*$/u;
const SPEAKER =
  /\b(?:did|does|do|has|had)\s+((?:\p{Lu}[\p{Ll}'’-]+\s*){1,3}?)\s*(?:say|said|tell|told|write|wrote|warn|warned|claim|explain|describe|think|mean|add|recall)\b|\b[Hh]ow\s+(?:did|does)\s+((?:\p{Lu}[\p{Ll}'’-]+\s*){1,3}?)\s*describe\b/u;

/** Words that shape a question but say nothing about its subject. */
const QUESTION_WORDS = new Set(
  ['happen', 'kind', 'type', 'thing', 'way', 'exact', 'exactli', 'actual', 'actualli', 'piec', 'report', 'mention', 'describ', 'explain', 'accord', 'mean', 'old', 'number', 'name', 'year', 'know', 'call', 'reason', 'think'].map(
    (w) => w,
  ),
);

export function analyzeQuestion(question: string): QuestionAnalysis {
  const type = TYPE_PATTERNS.find(([, pattern]) => pattern.test(question))?.[0] ?? 'general';
  const terms = [...new Set(tokenize(question))].filter((term) => !QUESTION_WORDS.has(term));
  const isInstruction = INSTRUCTION_PATTERNS.some((pattern) => pattern.test(question));
  const identityOf = IDENTITY.exec(question)?.[1]?.trim();
  const speakerMatch = SPEAKER.exec(question);
  const speaker = (speakerMatch?.[1] ?? speakerMatch?.[2])?.trim();
  return {
    type,
    identityOf,
    speaker,
    terms: terms.length > 0 ? terms : [...new Set(tokenize(question))],
    isInstruction,
  };
}

const NUMBER_WORDS =
  /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|dozens?|hundreds|thousands|several|a few|multiple)\b/i;
const MONTHS = /\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b/;
const TIME_WORDS =
  /\b(?:(?:19|20)\d{2}|spring|summer|fall|autumn|winter|yesterday|today|last (?:year|month|week|fall|summer|spring|winter|november|december)|this (?:year|summer|spring)|early|late|earlier|weeks?|months?|years?|night|morning|evening|days?|time)\b/i;
const OUTCOME_WORDS =
  /\b(?:died|dies|dead|death|killed|survived?|captured|escaped|released|freed|arrested|executed|injured|wounded|blew|exploded|disappeared|gone|lost|recovered|fled|surrendered|remains?|remained|ended|sentenced|returned|rescued)\b/i;
const REASON_WORDS = /\b(?:because|since|so that|in order to|to avoid|out of|due to|reason|rationale|so\b|unless|if)\b/i;
/** Two capitalised words in a row, or a capitalised word after a comma-delimited age ("Andriy, 26"). */
const PERSON_NAME = /(?:\b\p{Lu}[\p{Ll}'’-]+\s+\p{Lu}[\p{Ll}'’-]+)|(?:\b\p{Lu}[\p{Ll}'’-]+,\s+\d{1,2}\b)|\bcall sign\b|\b(?:Capt|Gen|President|commander|spokesman|chief|leader|analyst|adviser|governor|medic|operator)\b|(?:[.,]?\s*(?:\p{Lu}[\p{Ll}'’-]+)\s+(?:said|says|told|explains|wrote))/u;
const PLACE_WORDS = /\b(?:in|at|from|to|near|across|along|on)\s+(?:the\s+)?\p{Lu}[\p{Ll}'’-]+/u;

/** Whether a sentence holds the kind of answer the question asks for. `general` questions always match. */
export function sentenceMatchesType(sentence: string, type: AnswerType, question = ''): boolean {
  switch (type) {
    case 'count':
      return /\d/.test(sentence) || NUMBER_WORDS.test(sentence);
    case 'age':
      return /\b\d{1,2}-year-old\b|,\s*\d{1,2}\b|\b\d{1,2}\s*(?:years? old)\b|\(\w+(?: \w+)?\),\s*\d{1,2}\b/.test(sentence);
    case 'time':
      return MONTHS.test(sentence) || TIME_WORDS.test(sentence);
    case 'place':
      return hasNewName(sentence, PLACE_WORDS, question);
    case 'reason':
      return REASON_WORDS.test(sentence);
    case 'outcome': {
      // The outcome is news to the asker: "wounded" in "the soldier he wounded" is the premise, not the answer.
      const asked = new Set(words(question));
      return (sentence.match(new RegExp(OUTCOME_WORDS.source, 'gi')) ?? []).some((w) => !asked.has(w.toLowerCase()));
    }
    case 'person':
      return hasNewName(sentence, PERSON_NAME, question);
    case 'general':
      return true;
  }
}

/**
 * Whether the sentence names a person or place the question does not already name: "in Kursk" does
 * not answer "Where is Kursk?".
 */
function hasNewName(sentence: string, pattern: RegExp, question: string): boolean {
  const asked = new Set(words(question));
  for (const match of sentence.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))) {
    const capitalised = match[0].match(/\p{Lu}[\p{Ll}'’-]+/gu) ?? [];
    if (capitalised.length === 0 || capitalised.some((name) => !asked.has(words(name)[0] ?? ''))) return true;
  }
  return false;
}

/** Strict types are refused when no candidate sentence holds such an answer. */
export function isStrictType(type: AnswerType): boolean {
  return type === 'count' || type === 'age';
}

/** Capitalised words of a question that are not its first word: the names it is about. */
export function questionNames(question: string): string[] {
  const names: string[] = [];
  const tokens = question.match(/[\p{L}'’-]+/gu) ?? [];
  tokens.forEach((token, i) => {
    if (i === 0 || !/^\p{Lu}/u.test(token)) return;
    const word = words(token)[0];
    if (word !== undefined && !names.includes(token)) names.push(token);
  });
  return names;
}
