import { append, h } from './dom.js';

/** A citation as the server sends it (see docs/server.md). */
export interface WireCitation {
  readonly id: string;
  readonly article: string;
  readonly paragraph: number;
  readonly text: string;
  readonly quote: string;
}

/** A related paragraph as the server sends it. */
export interface WireRelated {
  readonly id: string;
  readonly article: string;
  readonly paragraph: number;
  readonly text: string;
}

export type CiteHandler = (target: WireCitation | WireRelated, trigger: HTMLElement) => void;

const MARKER = /\[¶(\d+)\]/g;
/** A marker cut in half by a delta boundary, hidden until the rest arrives. */
const PARTIAL_MARKER = /\[(?:¶\d*)?$/;

/**
 * Fills `container` with the answer text, turning each `[¶N]` marker into a chip. With `citations`
 * (the final answer) a chip is a button that shows the source; while streaming it is inert.
 */
export function renderAnswerText(
  container: HTMLElement,
  text: string,
  citations: readonly WireCitation[] | undefined,
  onCite: CiteHandler,
): void {
  container.replaceChildren();
  const visible = citations === undefined ? text.replace(PARTIAL_MARKER, '') : text;
  let last = 0;
  for (const match of visible.matchAll(MARKER)) {
    const at = match.index ?? 0;
    append(container, visible.slice(last, at));
    const number = Number(match[1]);
    const citation = citations?.find((c) => c.paragraph === number);
    container.appendChild(citation === undefined ? h('span', { class: 'chip' }, `¶${number}`) : chip(citation, onCite));
    last = at + match[0].length;
  }
  append(container, visible.slice(last));
}

/** A ¶N button that shows `target` in the article (or in a popover) when pressed. */
export function chip(target: WireCitation | WireRelated, onCite: CiteHandler): HTMLButtonElement {
  const button = h(
    'button',
    { type: 'button', class: 'chip', 'aria-label': `Show paragraph ${target.paragraph}`, 'data-paragraph': String(target.paragraph) },
    `¶${target.paragraph}`,
  );
  button.addEventListener('click', () => onCite(target, button));
  return button;
}

/** "Sources" (each citation with its quote) or "Related" (paragraphs offered with a refusal). */
export function renderSourceList(
  title: 'Sources' | 'Related',
  items: readonly (WireCitation | WireRelated)[],
  onCite: CiteHandler,
): HTMLElement {
  const list = h('div', { class: 'sources', role: 'group', 'aria-label': title }, h('span', { class: 'label' }, title));
  for (const item of items) {
    const excerpt = 'quote' in item ? item.quote : item.text;
    // The visible text is the accessible name (WCAG 2.5.3, label in name); the title says what it does.
    const button = h(
      'button',
      { type: 'button', class: 'source', 'data-paragraph': String(item.paragraph), title: `Show paragraph ${item.paragraph}` },
      h('span', { class: 'chip' }, `¶${item.paragraph}`),
      h('span', { class: 'quote' }, ` “${shorten(excerpt, 140)}”`),
    );
    button.addEventListener('click', () => onCite(item, button));
    list.appendChild(button);
  }
  return list;
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20))}…`;
}
