/** What the words after `/ask` (or after the bot's mention) ask for. */
export type AskText =
  | { readonly kind: 'help'; readonly prefix: string | undefined }
  | { readonly kind: 'pin'; readonly articles: readonly string[] }
  | { readonly kind: 'show_pin' }
  | { readonly kind: 'unpin' }
  | { readonly kind: 'summarize'; readonly article: string | undefined }
  | { readonly kind: 'question'; readonly question: string; readonly article: string | undefined };

/** A word that names an article: its slug, or a unique prefix of one that reaches past its first hyphen. */
export function resolveSlug(word: string, slugs: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  if (slugs.includes(lower)) return lower;
  // Only hyphenated prefixes ("nk-troops"): a plain word ("local", "how") is far more likely the question's start.
  if (!/^[a-z0-9]+-[a-z0-9-]*$/.test(lower)) return undefined;
  const matches = slugs.filter((slug) => slug.startsWith(lower));
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * Reads the text of a command or mention against the corpus's slugs:
 * - `help` / `help <prefix>`: the usage, listing the slugs (starting with the prefix);
 * - `pin <slug> [<slug>...]` pins the channel, `pin` alone shows the pin, `unpin` removes it;
 * - `summarize [<slug>]` (or `summary`, `key points`): the article's summary;
 * - `[<slug>] <question>`: a question, about that article when the first word names one.
 * A command word followed by words that are not slugs (`pin the blame on whom?`) is a question, so no question is
 * ever lost to a command. An empty text is `help`.
 */
export function parseAskText(text: string, slugs: readonly string[]): AskText {
  const trimmed = text.trim();
  const words = trimmed.split(/\s+/).filter(Boolean);
  const [first = '', ...rest] = words;
  const command = first.toLowerCase();
  if (words.length === 0) return { kind: 'help', prefix: undefined };
  if (command === 'help' && rest.length <= 1) return { kind: 'help', prefix: rest[0]?.toLowerCase() };
  if (command === 'unpin' && rest.length === 0) return { kind: 'unpin' };
  if (command === 'pin') {
    if (rest.length === 0) return { kind: 'show_pin' };
    const resolved = rest.map((word) => resolveSlug(word, slugs));
    if (resolved.every((slug) => slug !== undefined)) return { kind: 'pin', articles: [...new Set(resolved as string[])] };
  }
  const summaryWords = command === 'key' && rest[0]?.toLowerCase() === 'points' ? rest.slice(1) : ['summarize', 'summary'].includes(command) ? rest : undefined;
  if (summaryWords !== undefined && summaryWords.length <= 1) {
    const article = summaryWords[0] === undefined ? undefined : resolveSlug(summaryWords[0], slugs);
    if (summaryWords.length === 0 || article !== undefined) return { kind: 'summarize', article };
  }
  const article = resolveSlug(first, slugs);
  if (article !== undefined && rest.length > 0) {
    return { kind: 'question', article, question: trimmed.slice(first.length).trim() };
  }
  return { kind: 'question', article: undefined, question: trimmed };
}
