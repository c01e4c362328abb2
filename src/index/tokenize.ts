/**
 * Turns text into index terms for BM25 and lexical overlap: lower case, accents folded, numbers with
 * thousands separators joined ("4,700" -> "4700"), stop words dropped, and a light suffix stemmer so
 * "killed", "kills" and "killing" meet. Deterministic and language-light by design: paraphrase is the
 * dense retriever's job.
 */
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below between
both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from
further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how
how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor not of
off on once only or other ought our ours ourselves out over own same shan't she she'd she'll she's should shouldn't
so some such than that that's the their theirs them themselves then there there's these they they'd they'll they're
they've this those through to too under until up very was wasn't we we'd we'll we're we've were weren't what what's
when when's where where's which while who who's whom why why's with won't would wouldn't you you'd you'll you're
you've your yours yourself yourselves also just did does tell told say says said according article story many much
whats whos`.split(/\s+/),
);

export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’‘]/g, "'");
}

/** Common irregular verb forms, mapped to the stem of their base form. */
const IRREGULAR: Record<string, string> = Object.fromEntries(
  `met:meet fought:fight caught:catch took:take taken:take gave:give given:give went:go gone:go came:come saw:see
seen:see said:say told:tell thought:think brought:bring bought:buy sent:send spent:spend left:leave lost:lose
made:make found:find held:hold kept:keep knew:know known:know led:lead felt:feel fell:fall fallen:fall flew:fly
flown:fly ran:run shot:shoot stood:stand began:begin begun:begin wrote:write written:write spoke:speak spoken:speak
hid:hide hidden:hide threw:throw thrown:throw built:build won:win became:become chose:choose chosen:choose drove:drive
driven:drive ate:eat eaten:eat got:get gotten:get paid:pay sold:sell stole:steal stolen:steal woke:wake understood:understand
died:die dying:die dead:die lay:lie laid:lay struck:strike sought:seek taught:teach fed:feed fled:flee heard:hear meant:mean
rose:rise risen:rise sat:sit slept:sleep wore:wear worn:wear broke:break broken:break froze:freeze frozen:freeze
men:man women:woman children:child people:person feet:foot teeth:tooth mice:mouse`
    .split(/\s+/)
    .map((pair) => pair.split(':') as [string, string]),
);

/** Light English stemmer: enough to join inflections, never so much that names collapse. */
export function stem(word: string): string {
  const irregular = IRREGULAR[word];
  if (irregular !== undefined) return stem(irregular);
  if (/^\d/.test(word) || word.length <= 3) return word;
  let w = word;
  if (w.endsWith("'s")) w = w.slice(0, -2);
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is') && w.length > 3) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4) w = undouble(w.slice(0, -2));
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  if (w.endsWith('y') && w.length > 4) w = `${w.slice(0, -1)}i`;
  return w;
}

function undouble(w: string): string {
  return /([bdfgmnprt])\1$/.test(w) ? w.slice(0, -1) : w;
}

/** Raw words of a text, folded, with thousands separators removed from numbers. */
export function words(text: string): string[] {
  const folded = foldText(text).replace(/(\d),(?=\d{3}\b)/g, '$1');
  return folded.match(/[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu) ?? [];
}

/** Index terms: stop words dropped, stemmed. Hyphenated words also yield their parts. */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const word of words(text)) {
    if (STOP_WORDS.has(word)) continue;
    if (word.includes('-')) {
      for (const part of word.split('-')) if (part !== '' && !STOP_WORDS.has(part)) terms.push(stem(part));
    } else {
      terms.push(stem(word.replace(/'s$/, '')));
    }
  }
  return terms;
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/**
 * Whether two stemmed terms name the same thing: equal, or one a prefix of the other differing by at
 * most three letters ("korea"/"korean", "ukrain"/"ukrainian", "russia"/"russian").
 */
export function termsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.length - short.length <= 3 && long.startsWith(short) && !/^\d/.test(short);
}
