import { escapeMrkdwn, type SlackBlock, type SlackMessage } from './format-slack-answer.js';

export interface FormatSlackHelpOptions {
  /** `/ask`, as configured. */
  readonly command: string;
  /** The corpus, in corpus order. */
  readonly articles: readonly { readonly slug: string; readonly headline: string }[];
  /** List only the slugs starting with this (`/ask help nk`). */
  readonly prefix?: string;
  /** The slugs this channel is pinned to. */
  readonly pinned?: readonly string[];
  /** A line above the usage, e.g. why the help is shown. */
  readonly note?: string;
}

/** At most this many articles are listed; a prefix narrows the list. */
const MAX_LISTED = 15;

/**
 * The usage of the command, with the articles it can be asked about (the slug completion: `/ask help <prefix>` lists
 * the slugs that start with it), and the channel's pin when it has one.
 */
export function formatSlackHelp(options: FormatSlackHelpOptions): SlackMessage {
  const c = escapeMrkdwn(options.command);
  const usage = [
    `\`${c} &lt;question&gt;\` asks the articles; replies cite the paragraphs they come from. Mention me in a channel to get the answer in a thread, and ask follow-ups there.`,
    `\`${c} &lt;slug&gt; &lt;question&gt;\` asks one article. A unique start of a slug with its first hyphen is enough.`,
    `\`${c} summarize &lt;slug&gt;\`: the story's key points, each cited.`,
    `\`${c} pin &lt;slug&gt; [&lt;slug&gt; …]\` makes questions in this channel go to those articles; \`${c} pin\` shows the pin, \`${c} unpin\` removes it.`,
    `\`${c} help &lt;first letters&gt;\` lists the slugs that start with them.`,
  ];
  const prefix = options.prefix?.toLowerCase();
  const matching = options.articles.filter((a) => prefix === undefined || a.slug.startsWith(prefix));
  const listed = matching.slice(0, MAX_LISTED).map((a) => `• \`${escapeMrkdwn(a.slug)}\` ${escapeMrkdwn(a.headline.length > 100 ? `${a.headline.slice(0, 99)}…` : a.headline)}`);
  const heading =
    prefix === undefined
      ? `*Articles (${options.articles.length})*`
      : `*Articles starting with \`${escapeMrkdwn(prefix)}\` (${matching.length} of ${options.articles.length})*`;
  const more = matching.length > MAX_LISTED ? [`…and ${matching.length - MAX_LISTED} more: \`${c} help &lt;first letters&gt;\` narrows the list.`] : [];
  const pinned =
    options.pinned !== undefined && options.pinned.length > 0
      ? [`This channel is pinned to ${options.pinned.map((slug) => `\`${escapeMrkdwn(slug)}\``).join(', ')}.`]
      : [];
  const sections = [
    ...(options.note === undefined ? [] : [escapeMrkdwn(options.note)]),
    usage.join('\n'),
    [heading, ...(listed.length === 0 ? ['(none)'] : listed), ...more].join('\n'),
    ...pinned,
  ];
  const blocks: SlackBlock[] = sections.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } }));
  return { text: sections.join('\n\n').slice(0, 3000), blocks };
}
