/**
 * Highlighting a cited paragraph on the host page: the paragraph gets the class `nqa-cited` and the
 * quoted sentence is wrapped in `<mark class="nqa-quote">` by splitting the page's own text nodes
 * (DOM Ranges over text nodes, never `innerHTML`), so article text is never re-parsed as HTML.
 * Elements marked `data-cite-skip` (¶ numbers, photo credits) are not part of the citable text.
 */

export const CITED_CLASS = 'nqa-cited';
export const QUOTE_CLASS = 'nqa-quote';

/**
 * Where `quote` occurs in `text`: exactly, or else ignoring differences in whitespace and quote-mark
 * style. Returns `[start, end)` offsets in `text`, or undefined.
 */
export function locateQuote(text: string, quote: string): [number, number] | undefined {
  const trimmed = quote.trim();
  if (trimmed === '') return undefined;
  const exact = text.indexOf(trimmed);
  if (exact >= 0) return [exact, exact + trimmed.length];
  // Normalize both sides, remembering where each normalized character came from in `text`.
  const origin: number[] = [];
  let normalized = '';
  for (let i = 0; i < text.length; i += 1) {
    const char = normalizeChar(text[i] as string);
    if (char === ' ' && (normalized === '' || normalized.endsWith(' '))) continue;
    normalized += char;
    origin.push(i);
  }
  let needle = '';
  for (const raw of trimmed) {
    const char = normalizeChar(raw);
    if (char === ' ' && needle.endsWith(' ')) continue;
    needle += char;
  }
  const at = normalized.indexOf(needle);
  if (at < 0) return undefined;
  return [origin[at] as number, (origin[at + needle.length - 1] as number) + 1];
}

function normalizeChar(char: string): string {
  if (/\s/.test(char)) return ' ';
  if (char === '“' || char === '”') return '"';
  if (char === '‘' || char === '’') return "'";
  return char.toLowerCase();
}

/** Removes every earlier highlight from `doc`, restoring the original text nodes. */
export function clearHighlights(doc: Document): void {
  for (const element of Array.from(doc.getElementsByClassName(CITED_CLASS))) element.classList.remove(CITED_CLASS);
  for (const mark of Array.from(doc.querySelectorAll(`mark.${QUOTE_CLASS}`))) {
    const parent = mark.parentNode;
    if (parent === null) continue;
    while (mark.firstChild !== null) parent.insertBefore(mark.firstChild, mark);
    parent.removeChild(mark);
    parent.normalize();
  }
}

/**
 * Highlights `element` and wraps the part of its citable text that matches `quote` in marks (several
 * when the quote crosses inline elements). Returns the marks; none when the quote is not found (the
 * paragraph is still highlighted).
 */
export function highlightCitation(element: HTMLElement, quote: string | undefined): HTMLElement[] {
  const doc = element.ownerDocument;
  clearHighlights(doc);
  element.classList.add(CITED_CLASS);
  if (quote === undefined) return [];
  const nodes = citableTextNodes(element);
  const text = nodes.map((node) => node.data).join('');
  const range = locateQuote(text, quote);
  if (range === undefined) return [];
  const marks: HTMLElement[] = [];
  let offset = 0;
  for (const node of nodes) {
    const nodeStart = offset;
    const nodeEnd = offset + node.data.length;
    offset = nodeEnd;
    const from = Math.max(range[0], nodeStart) - nodeStart;
    const to = Math.min(range[1], nodeEnd) - nodeStart;
    if (from >= to) continue;
    let target = node;
    if (from > 0) target = target.splitText(from);
    if (to - from < target.data.length) target.splitText(to - from);
    const mark = doc.createElement('mark');
    mark.className = QUOTE_CLASS;
    target.parentNode?.insertBefore(mark, target);
    mark.appendChild(target);
    marks.push(mark);
  }
  return marks;
}

function citableTextNodes(element: HTMLElement): Text[] {
  const doc = element.ownerDocument;
  const walker = doc.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      const skip = node.parentElement?.closest('[data-cite-skip]');
      return skip !== null && skip !== undefined && element.contains(skip)
        ? NodeFilter.FILTER_REJECT
        : NodeFilter.FILTER_ACCEPT;
    },
  });
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) nodes.push(node as Text);
  return nodes;
}

/**
 * The paragraph `id` of `article` on this page, or undefined when the page does not show it (no such
 * id, or an element of another article: the nearest `data-article` ancestor names a different slug).
 */
export function findCitedElement(doc: Document, id: string, article: string): HTMLElement | undefined {
  const element = doc.getElementById(id);
  if (element === null) return undefined;
  const owner = element.closest('[data-article]')?.getAttribute('data-article');
  if (owner !== null && owner !== undefined && owner !== article) return undefined;
  return element;
}
