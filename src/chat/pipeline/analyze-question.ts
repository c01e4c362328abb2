import type { Lexicon } from '../../nlp/lexicon.js';
import type { AnalyzedText, NameSpan, TextAnalyzer, TextToken } from '../../nlp/text-analyzer.js';
import { isPersonNoun, isSpeechVerb } from './name-registry.js';

/**
 * What a question asks, read from its parse (wink POS tags) and WordNet classes rather than from word lists:
 * the kind of answer (a count for "how many", a time for "when" or "what year", a person for "who" or "which
 * official", a place for "where" or "what town"), the words that carry its meaning, the names it mentions, whose
 * words it asks for ("What did the mayor say ...?"), and whom or what it asks to identify ("Who is Bulat?").
 */
export type AnswerKind =
  | 'count'
  | 'money'
  | 'percent'
  | 'time'
  | 'duration'
  | 'age'
  | 'person'
  | 'place'
  | 'name'
  | 'reason'
  | 'manner'
  | 'quote'
  | 'definition'
  | 'yesno'
  | 'other';

export const ANSWER_KINDS: readonly AnswerKind[] = [
  'count', 'money', 'percent', 'time', 'duration', 'age', 'person', 'place', 'name', 'reason', 'manner', 'quote', 'definition', 'yesno', 'other',
];

export interface QuestionTerm {
  readonly text: string;
  readonly lemma: string;
  /** WordNet part of speech for expansion; undefined for names and numbers. */
  readonly pos: 'noun' | 'verb' | 'adj' | 'adv' | undefined;
  /** Part of a proper name. */
  readonly name: boolean;
}

export interface QuestionModel {
  readonly text: string;
  readonly analysis: AnalyzedText;
  readonly expects: AnswerKind;
  /** The content words, question words and function words left out. */
  readonly terms: readonly QuestionTerm[];
  /** Proper names in the question ("North Korea", "Cha"). */
  readonly names: readonly string[];
  /** "How many troops": the thing counted (its lemma). */
  readonly countNoun: string | undefined;
  /** "How many ...": the answer is a count of things, not an amount or a share ("how much" may be either). */
  readonly asksCount: boolean;
  /**
   * The attribute asked about: the counted thing, or the noun a "what / which" question asks for ("What is the
   * population of ...", "Which official ..."). An article that never mentions it rarely answers the question.
   */
  readonly focus: string | undefined;
  /** "What did Cha say ...", "How does the mayor describe ...": a name, or a role noun lemma ("mayor"). */
  readonly speaker: string | undefined;
  /** "Who is Bulat?", "What is the Baba Yaga?": the name or phrase to identify. */
  readonly identity: string | undefined;
}

/** Words that refer to the text or the asking itself, not to the story's subject. */
const META_LEMMAS = new Set([
  'article', 'story', 'piece', 'report', 'text', 'reporter', 'journalist', 'author', 'writer', 'npr', 'mention', 'according',
  'know', 'tell', 'explain', 'describe', 'happen', 'mean', 'thing', 'something', 'anything', 'kind', 'type', 'exactly',
  'actually', 'really', 'also', 'else', 'other', 'lot',
]);

const WH = new Set(['how', 'what', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why']);
const AUX_START = new Set(['AUX', 'VERB']);

export interface AnalyzeQuestionOptions {
  readonly analyzer: TextAnalyzer;
  readonly lexicon: Lexicon;
  /** The question already parsed (it is parsed once when no typo needed correcting). */
  readonly analysis?: AnalyzedText;
}

export function analyzeQuestion(text: string, options: AnalyzeQuestionOptions): QuestionModel {
  const { lexicon } = options;
  const analysis = options.analysis ?? options.analyzer.analyze(text);
  const tokens = analysis.tokens;
  const words = tokens.filter((t) => t.pos !== 'PUNCT');
  const whIndex = tokens.findIndex((t) => WH.has(t.text.toLowerCase()));
  const wh = whIndex === -1 ? undefined : tokens[whIndex]!.text.toLowerCase();
  const next = whIndex === -1 ? undefined : tokens[whIndex + 1];
  const lower = (t: TextToken | undefined): string => t?.text.toLowerCase() ?? '';

  let expects: AnswerKind = 'other';
  let countNoun: string | undefined;
  let asksCount = false;
  let nameWord = -1;
  const headNoun =
    whIndex === -1
      ? undefined
      : (headNounAfter(tokens, whIndex + 1) ?? (tokens[whIndex + 1]?.lemma === 'be' ? headNounAfter(tokens, whIndex + 2) : undefined));
  if (wh === 'how') {
    const adj = lower(next);
    if (adj === 'many' || adj === 'much') {
      asksCount = adj === 'many';
      countNoun = headNounAfter(tokens, whIndex + 2)?.lemma;
      const classes = countNoun === undefined ? new Set<string>() : lexicon.classes(countNoun, 'noun', 2);
      expects = adj === 'much' && (countNoun === undefined || classes.has('noun.possession')) ? 'money' : 'count';
      if (countNoun !== undefined && classes.has('noun.time')) expects = 'duration';
    } else if (adj === 'old') expects = 'age';
    else if (adj === 'long' || adj === 'soon') expects = lower(tokens[whIndex + 2]) === 'ago' ? 'time' : 'duration';
    else if (next?.pos === 'ADJ' || next?.pos === 'ADV') expects = 'count';
    else expects = 'manner';
  } else if (wh === 'why') expects = 'reason';
  else if (wh === 'when') expects = 'time';
  else if (wh === 'where') expects = 'place';
  else if (wh === 'who' || wh === 'whom' || wh === 'whose') expects = 'person';
  else if (wh === 'what' || wh === 'which') {
    if (headNoun !== undefined) expects = kindOfNoun(lexicon, headNoun.lemma);
    // "What is the name of the bakery?", "What is the runway called?": a proper name, unless the thing named is a
    // person or a place (then the kind already asks for one).
    nameWord = nameAsked(tokens, whIndex);
    if (nameWord !== -1 && expects === 'other') expects = 'name';
    if (expects === 'other' && isDefinitionQuestion(tokens, whIndex)) expects = 'definition';
  } else if (words[0] !== undefined && AUX_START.has(words[0].pos) && words[0].pos === 'AUX') expects = 'yesno';

  const speaker = speakerAsked(analysis, whIndex, lexicon);
  if (speaker !== undefined && (expects === 'other' || expects === 'definition')) expects = 'quote';
  // "Who is Bulat?", "Where is Kursk?": a description of the name asked about, not another name or place.
  const identity = identityAsked(analysis, whIndex);
  if (identity !== undefined && nameWord === -1) expects = 'definition';
  // "how many / much / old / long / far ...": the modifier belongs to the question word, not to the subject.
  const whModifier = wh === 'how' && (next?.pos === 'ADJ' || next?.pos === 'ADV') ? whIndex + 1 : -1;

  const terms: QuestionTerm[] = [];
  const seen = new Set<string>();
  tokens.forEach((token, i) => {
    if (i === whIndex || i === whModifier || i === nameWord || token.pos === 'PUNCT' || token.pos === 'PART' || token.pos === 'AUX' || token.pos === 'PRON' || token.pos === 'DET') return;
    const isName = token.pos === 'PROPN' && /^\p{Lu}/u.test(token.text);
    const lemma = isName ? token.text.toLowerCase().replace(/['’]s$/, '') : token.lemma;
    if (token.stop && !isName && token.pos !== 'NUM') return;
    if (META_LEMMAS.has(lemma) || WH.has(lemma) || lemma === 'many' || lemma === 'much') return;
    if (!/[\p{L}\p{N}]/u.test(lemma) || seen.has(lemma)) return;
    seen.add(lemma);
    terms.push({ text: token.text, lemma, pos: isName || token.pos === 'NUM' ? undefined : wordnetPos(token.pos), name: isName });
  });

  return {
    text,
    analysis,
    expects,
    terms,
    names: analysis.names.map((n) => n.text),
    countNoun,
    asksCount,
    focus: countNoun ?? (wh === 'what' || wh === 'which' ? headNoun?.lemma : undefined),
    speaker,
    identity,
  };
}

function wordnetPos(pos: string): QuestionTerm['pos'] {
  if (pos === 'NOUN') return 'noun';
  if (pos === 'VERB') return 'verb';
  if (pos === 'ADJ') return 'adj';
  if (pos === 'ADV') return 'adv';
  return 'noun';
}

/** The first noun after `from`, skipping determiners, adjectives and numbers; stops at a verb. */
function headNounAfter(tokens: readonly TextToken[], from: number): TextToken | undefined {
  for (let i = from; i < Math.min(tokens.length, from + 4); i += 1) {
    const token = tokens[i]!;
    if (token.pos === 'NOUN') {
      // "what kind of drone", "the name of the bakery": the noun after "of" is the head.
      if (tokens[i + 1]?.lemma === 'of' && /^(?:kind|type|sort|name)$/.test(token.lemma)) return headNounAfter(tokens, i + 2) ?? token;
      return token;
    }
    if (token.pos !== 'DET' && token.pos !== 'ADJ' && token.pos !== 'NUM' && token.pos !== 'ADV') return undefined;
  }
  return undefined;
}

/** The answer kind a "what / which <noun>" question asks for, from the noun's WordNet class. */
function kindOfNoun(lexicon: Lexicon, lemma: string): AnswerKind {
  const classes = lexicon.classes(lemma, 'noun', 2);
  if (classes.has('noun.time')) return 'time';
  if (classes.has('noun.person')) return 'person';
  if (classes.has('noun.location')) return 'place';
  if (classes.has('noun.quantity')) return 'count';
  if (classes.has('noun.possession') && lexicon.classes(lemma, 'noun', 1).has('noun.possession')) return 'money';
  if (classes.has('noun.motive')) return 'reason';
  return 'other';
}

/**
 * The word that makes a "what" question ask for a name, or -1: "the name of X", "X's name", "X's last name", or
 * a question that ends "... called?" / "... named?" after a form of "be" ("What is the runway being rebuilt
 * called?"). English grammar only; "named" inside a relative clause ("the man named in the suit") does not count.
 */
function nameAsked(tokens: readonly TextToken[], whIndex: number): number {
  const words = tokens.map((t, i) => ({ t, i })).filter(({ t }) => t.pos !== 'PUNCT');
  for (const { t, i } of words) {
    if (i <= whIndex || t.lemma !== 'name' || t.pos !== 'NOUN') continue;
    const after = tokens[i + 1];
    const before = tokens[i - 1];
    if (i === whIndex + 1 || after?.lemma === 'of' || /['’]s$/.test(before?.text ?? '') || before?.pos === 'ADJ' || i === words.at(-1)!.i) return i;
  }
  const last = words.at(-1);
  if (last !== undefined && (last.t.lemma === 'call' || last.t.lemma === 'name') && last.t.pos === 'VERB') {
    if (tokens.slice(whIndex + 1, last.i).some((t) => t.lemma === 'be')) return last.i;
  }
  return -1;
}

/** "What is X?", "What was the Baba Yaga?": the wh-word, a form of "be", and nothing but the thing asked about. */
function isDefinitionQuestion(tokens: readonly TextToken[], whIndex: number): boolean {
  const be = tokens[whIndex + 1];
  if (be === undefined || be.lemma !== 'be') return false;
  const rest = tokens.slice(whIndex + 2).filter((t) => t.pos !== 'PUNCT');
  return rest.length > 0 && rest.length <= 5 && !rest.some((t) => t.pos === 'VERB');
}

/**
 * "What did X say / tell / think ...", "How does X describe ...", "What was X's reaction": X, as a name when the
 * question names one, else the role noun's lemma ("the mayor" -> "mayor").
 */
function speakerAsked(analysis: AnalyzedText, whIndex: number, lexicon: Lexicon): string | undefined {
  const { tokens } = analysis;
  // "..., according to Cha?" names whose account the question wants.
  const according = tokens.findIndex((t, i) => t.lemma === 'accord' && tokens[i + 1]?.lemma === 'to');
  if (according !== -1) {
    const span = analysis.names.find((n) => n.firstToken > according && n.firstToken <= according + 3);
    if (span !== undefined) return span.text;
    const noun = tokens.slice(according + 2, according + 5).find((t) => t.pos === 'NOUN' && isPersonNoun(lexicon, t.lemma));
    if (noun !== undefined) return noun.lemma;
  }
  if (whIndex === -1) return undefined;
  for (let v = whIndex + 1; v < tokens.length; v += 1) {
    const verb = tokens[v]!;
    if (verb.pos !== 'VERB' || !(isSpeechVerb(lexicon, verb.lemma) || lexicon.classes(verb.lemma, 'verb', 1).has('verb.cognition'))) continue;
    const subject = subjectBefore(analysis, v, lexicon);
    if (subject !== undefined) return subject;
  }
  return undefined;
}

function subjectBefore(analysis: AnalyzedText, verbIndex: number, lexicon: Lexicon): string | undefined {
  const { tokens, names } = analysis;
  const span: NameSpan | undefined = names.find((n) => n.lastToken === verbIndex - 1);
  if (span !== undefined) return span.text;
  const before = tokens[verbIndex - 1];
  if (before !== undefined && before.pos === 'NOUN' && isPersonNoun(lexicon, before.lemma)) return before.lemma;
  return undefined;
}

/** "Who is Bulat?", "What is the Baba Yaga?", "Who was Kim Jong Un?" */
function identityAsked(analysis: AnalyzedText, whIndex: number): string | undefined {
  const { tokens } = analysis;
  if (whIndex === -1) return undefined;
  const wh = tokens[whIndex]!.text.toLowerCase();
  if (wh !== 'who' && wh !== 'what' && wh !== 'where') return undefined;
  if (tokens[whIndex + 1]?.lemma !== 'be') return undefined;
  const rest = tokens.slice(whIndex + 2).filter((t) => t.pos !== 'PUNCT' && t.pos !== 'DET');
  if (rest.length === 0 || rest.length > 4 || rest.some((t) => t.pos === 'VERB' || t.pos === 'ADP')) return undefined;
  // "Where is X" identifies a named place only; "Where is the meeting" asks for a place.
  if (wh === 'where' && !rest.every((t) => t.pos === 'PROPN')) return undefined;
  return rest.map((t) => t.text).join(' ');
}
