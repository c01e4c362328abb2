import { createChatSocket, type SocketState } from './chat-socket.js';
import { findColumn, overlaps, planDock, shiftColumn, type DockPlan } from './dock-panel.js';
import { h, icon } from './dom.js';
import { createFeedbackControls, type FeedbackControls, type ParagraphChoice } from './feedback-controls.js';
import { clearHighlights, findCitedElement, highlightCitation, locateQuote } from './highlight-citation.js';
import { renderAnswerText, renderSourceList, type WireCitation, type WireRelated } from './render-answer.js';
import { PAGE_CSS, PANEL_CSS } from './widget-styles.js';

/**
 * The reader chat widget, served as one script at `/widget.js`:
 *   <script src="https://news.example/widget.js" data-article="slug" data-server="wss://news.example/ws" defer></script>
 * `data-server` defaults to the `/ws` endpoint of the server the script came from; `data-article`
 * restricts answers to one article (default: the whole corpus; starter questions of the first article).
 * `data-share-questions="true"`, set by the page once the reader consents (it is read at every question),
 * lets the server keep the text of a question the article cannot answer.
 * The widget lives in an open shadow root; on the page it only adds the highlight of cited paragraphs
 * and, on a wide screen, moves the article column aside when the docked panel needs the room.
 */

interface WidgetSettings {
  readonly wsUrl: string;
  readonly apiBase: string;
  readonly article: string | undefined;
  /** The script element, whose `data-share-questions` the page may change at any time. */
  readonly script: HTMLScriptElement;
}

interface PendingAnswer {
  readonly bubble: HTMLElement;
  readonly body: HTMLElement;
  text: string;
}

/** The fixed first starter: a summary of the story, sent as its own `summarize` request. */
const SUMMARY_STARTER = 'Summarize this story';

const CHAT_ICON = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6v2h2v-2H7zm4 0v2h2v-2h-2zm4 0v2h2v-2h-2z';
const NARROW_SCREEN = '(max-width: 480px)';

function readSettings(): WidgetSettings | undefined {
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[src*="widget.js"]');
  if (script === null || script.src === '') return undefined;
  const src = new URL(script.src, location.href);
  const server = script.dataset.server;
  const wsUrl =
    server !== undefined && server !== ''
      ? new URL(server, src).href
      : `${src.protocol === 'https:' ? 'wss:' : 'ws:'}//${src.host}/ws`;
  const article = script.dataset.article;
  return { wsUrl, apiBase: src.origin, article: article === undefined || article === '' ? undefined : article, script };
}

function adoptStyles(target: Document | ShadowRoot, css: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    target.adoptedStyleSheets = [...target.adoptedStyleSheets, sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = css;
    (target instanceof Document ? target.head : target).appendChild(style);
  }
}

function mount(settings: WidgetSettings): void {
  adoptStyles(document, PAGE_CSS);
  const host = h('div', { id: 'nqa-chat-widget' });
  const shadow = host.attachShadow({ mode: 'open' });
  adoptStyles(shadow, PANEL_CSS);

  let nextId = 1;
  let online = false;
  let infoLoaded = false;
  let countdown: number | undefined;
  const pending = new Map<string, PendingAnswer>();
  const feedback = new Map<string, FeedbackControls>();
  let popover: { element: HTMLElement; trigger: HTMLElement } | undefined;
  let dock: DockPlan = { mode: 'overlay' };
  let column: HTMLElement | undefined;

  const launcher = h(
    'button',
    { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'nqa-panel' },
    'Ask about this story',
  );
  launcher.prepend(icon(CHAT_ICON));
  const title = h('h2', { id: 'nqa-title' }, 'Ask about this story');
  const resetButton = h('button', { type: 'button', class: 'reset', title: 'Start a new conversation' }, 'New chat');
  const closeButton = h('button', { type: 'button', class: 'close', 'aria-label': 'Close chat' }, '×');
  const statusText = h('span');
  const retryButton = h('button', { type: 'button' }, 'Retry now');
  const status = h('div', { class: 'status', role: 'status', hidden: true }, statusText, retryButton);
  const starters = h('div', { class: 'starters', role: 'group', 'aria-label': 'Suggested questions' });
  const intro = h(
    'div',
    { class: 'intro' },
    h('p', {}, 'Answers come only from this story and cite its numbered paragraphs (¶). Select a ¶ to see the source.'),
    starters,
  );
  // The log is not live: streamed words would be read out one by one. `live` announces each answer once.
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'off', 'aria-label': 'Conversation', tabindex: '-1' }, intro);
  const textarea = h('textarea', {
    id: 'nqa-question',
    rows: '1',
    maxlength: '1000',
    placeholder: 'Ask a question about this story',
    'aria-label': 'Your question',
    enterkeyhint: 'send',
  });
  const sendButton = h('button', { type: 'submit', disabled: true }, 'Ask');
  const form = h('form', { class: 'composer' }, textarea, sendButton);
  const live = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const panel = h(
    'section',
    { class: 'panel', id: 'nqa-panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'nqa-title', hidden: true },
    h('div', { class: 'head' }, title, resetButton, closeButton),
    status,
    log,
    form,
    h('div', { class: 'note' }, 'Automated answers quoted from the article. Check the cited paragraphs. Feedback sends the question and answer to the newsroom.'),
    live,
  );
  shadow.appendChild(h('div', { class: 'root' }, launcher, panel));
  document.body.appendChild(host);

  const socket = createChatSocket({ url: settings.wsUrl, onMessage, onState });

  function openPanel(): void {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute('aria-expanded', 'true');
    placePanel();
    socket.start();
    void loadArticleInfo();
    textarea.focus();
  }

  function closePanel(returnFocus: boolean): void {
    closePopover(false);
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute('aria-expanded', 'false');
    shiftColumn(column, 0);
    if (returnFocus) launcher.focus();
  }

  /** Docks the panel beside the article column when there is room (moving the column if needed). */
  function placePanel(): void {
    column = findColumn(document, settings.article);
    shiftColumn(column, 0); // measure where the column really is
    const box = column?.getBoundingClientRect();
    dock = planDock({
      viewportWidth: document.documentElement.clientWidth,
      column: box === undefined || box.width === 0 ? undefined : { left: box.left, right: box.right },
    });
    panel.classList.toggle('docked', dock.mode === 'docked');
    if (dock.mode === 'docked') {
      panel.style.setProperty('--nqa-dock-width', `${dock.width}px`);
      shiftColumn(column, dock.shift);
    } else {
      panel.style.removeProperty('--nqa-dock-width');
    }
  }

  let summaryArticle = settings.article;
  const summaryButton = h('button', { type: 'button', class: 'starter summary' }, SUMMARY_STARTER);
  summaryButton.addEventListener('click', () => summarize());
  starters.appendChild(summaryButton);

  async function loadArticleInfo(): Promise<void> {
    if (infoLoaded) return;
    infoLoaded = true;
    try {
      const response = await fetch(`${settings.apiBase}/api/articles`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const info = (await response.json()) as {
        articles: { slug: string; starterQuestions: string[] }[];
        maxQuestionChars: number;
      };
      textarea.maxLength = info.maxQuestionChars;
      const article = info.articles.find((a) => a.slug === settings.article) ?? info.articles[0];
      // Without data-article on a many-article server, "this story" names nothing: no summary starter.
      summaryArticle = settings.article ?? (info.articles.length === 1 ? article?.slug : undefined);
      summaryButton.hidden = summaryArticle === undefined;
      for (const question of article?.starterQuestions ?? []) {
        const button = h('button', { type: 'button', class: 'starter' }, question);
        button.addEventListener('click', () => ask(question));
        starters.appendChild(button);
      }
    } catch {
      infoLoaded = false; // try again next time the panel opens
    }
  }

  function scrollToEnd(): void {
    log.scrollTop = log.scrollHeight;
  }

  function addMessage(element: HTMLElement): void {
    log.appendChild(element);
    scrollToEnd();
  }

  function ask(question: string): void {
    const text = question.trim();
    if (text === '') return;
    const share = settings.script.dataset.shareQuestions === 'true';
    request(text, (id) => ({
      type: 'ask',
      id,
      question: text,
      ...(settings.article === undefined ? {} : { article: settings.article }),
      ...(share ? { shareQuestion: true } : {}),
    }));
  }

  function summarize(): void {
    request(SUMMARY_STARTER, (id) => ({ type: 'summarize', id, ...(summaryArticle === undefined ? {} : { article: summaryArticle }) }));
  }

  /** Sends a question-like frame and shows it with a pending answer bubble. */
  function request(shown: string, frame: (id: string) => Record<string, unknown>): void {
    const id = `q${nextId++}`;
    if (!socket.send(frame(id))) {
      addMessage(h('div', { class: 'msg error', role: 'alert' }, 'You are offline; the question was not sent. It will work again once the connection is back.'));
      return;
    }
    intro.hidden = true;
    addMessage(h('div', { class: 'msg user' }, shown));
    const body = h('div', { class: 'body' }, h('span', { class: 'typing' }, h('i'), h('i'), h('i'), h('span', { class: 'visually-hidden' }, 'Answering…')));
    const bubble = h('div', { class: 'msg bot', 'aria-busy': 'true', 'data-id': id }, body);
    addMessage(bubble);
    pending.set(id, { bubble, body, text: '' });
    textarea.value = '';
    resizeTextarea();
  }

  function onMessage(message: Record<string, unknown>): void {
    const id = typeof message.id === 'string' ? message.id : undefined;
    const entry = id === undefined ? undefined : pending.get(id);
    switch (message.type) {
      case 'delta':
        if (entry === undefined || typeof message.text !== 'string') return;
        entry.text += message.text;
        renderAnswerText(entry.body, entry.text, undefined, showSource);
        scrollToEnd();
        return;
      case 'answer':
        if (entry === undefined || id === undefined) return;
        pending.delete(id);
        finishAnswer(entry, message, id);
        return;
      case 'feedback':
        if (id !== undefined) feedback.get(id)?.acknowledged();
        return;
      case 'error': {
        const text = typeof message.message === 'string' ? message.message : 'The question could not be answered.';
        const rated = id === undefined || entry !== undefined ? undefined : feedback.get(id);
        if (rated !== undefined) {
          rated.failed(text);
          return;
        }
        const error = h('div', { class: 'msg error', role: 'alert' }, text);
        if (entry !== undefined && id !== undefined) {
          pending.delete(id);
          entry.bubble.replaceWith(error);
        } else {
          addMessage(error);
        }
        return;
      }
      default:
        return; // reset acknowledgements and future message types need nothing
    }
  }

  function finishAnswer(entry: PendingAnswer, message: Record<string, unknown>, id: string): void {
    const answer = typeof message.answer === 'string' ? message.answer : entry.text;
    const citations = Array.isArray(message.citations) ? (message.citations as WireCitation[]) : [];
    const related = Array.isArray(message.related) ? (message.related as WireRelated[]) : [];
    const grounded = message.grounded === true;
    entry.bubble.replaceChildren();
    if (!grounded) {
      entry.bubble.classList.add('refusal');
      entry.bubble.appendChild(h('span', { class: 'label' }, 'Not in the article'));
    }
    entry.bubble.appendChild(entry.body);
    renderAnswerText(entry.body, answer, citations, showSource);
    // An extractive answer is made of its quotes: listing them again would only repeat it.
    const plain = answer.replace(/\s*\[¶\d+\]/g, '');
    if (citations.some((c) => !plain.includes(c.quote.trim()))) {
      entry.bubble.appendChild(renderSourceList('Sources', citations, showSource));
    }
    if (related.length > 0) entry.bubble.appendChild(renderSourceList('Related', related, showSource));
    const controls = createFeedbackControls({
      id,
      send: (frame) => socket.send(frame),
      paragraphs: () => paragraphChoices(citations[0]?.article ?? settings.article),
      pickOnPage: (onPick) => pickParagraphOnPage(citations[0]?.article ?? settings.article, onPick),
      announce,
    });
    feedback.set(id, controls);
    entry.bubble.appendChild(controls.element);
    entry.bubble.setAttribute('aria-busy', 'false');
    // One announcement per answer, with its sources, instead of every streamed word.
    const numbers = [...new Set(citations.map((c) => c.paragraph))];
    const sources = numbers.length === 0 ? '' : ` Sources: ${numbers.length === 1 ? 'paragraph' : 'paragraphs'} ${numbers.join(', ')}.`;
    announce(`${grounded ? 'Answer' : 'Not in the article'}: ${plain}${sources}`);
    scrollToEnd();
  }

  function announce(text: string): void {
    live.textContent = text;
  }

  /** The paragraphs a reader may name as the right source: this page's, else the server's list. */
  async function paragraphChoices(article: string | undefined): Promise<ParagraphChoice[]> {
    const onPage = pageParagraphs(article).map((element) => ({ number: Number(element.id.slice(1)), excerpt: excerptOf(element) }));
    if (onPage.length > 0 || article === undefined) return onPage;
    const response = await fetch(`${settings.apiBase}/api/articles/${encodeURIComponent(article)}/paragraphs`);
    if (!response.ok) return [];
    const body = (await response.json()) as { paragraphs: { number: number; text: string }[] };
    return body.paragraphs.map((p) => ({ number: p.number, excerpt: shortText(p.text) }));
  }

  /** Elements `id="pN"` of `article` on this page (none on a page that does not carry it). */
  function pageParagraphs(article: string | undefined): HTMLElement[] {
    if (article === undefined) return [];
    return Array.from(document.querySelectorAll<HTMLElement>('[id^="p"]')).filter(
      (element) => /^p\d+$/.test(element.id) && findCitedElement(document, element.id, article) === element,
    );
  }

  /** While the picker is open, a click on one of the story's paragraphs picks it. */
  function pickParagraphOnPage(article: string | undefined, onPick: (number: number) => void): (() => void) | undefined {
    const paragraphs = pageParagraphs(article);
    if (paragraphs.length === 0) return undefined;
    document.documentElement.classList.add('nqa-picking');
    const onClick = (event: MouseEvent): void => {
      const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[id^="p"]') : null;
      if (target === null || !paragraphs.includes(target)) return;
      event.preventDefault();
      event.stopPropagation();
      onPick(Number(target.id.slice(1)));
    };
    document.addEventListener('click', onClick, true);
    return () => {
      document.removeEventListener('click', onClick, true);
      document.documentElement.classList.remove('nqa-picking');
    };
  }

  function showSource(target: WireCitation | WireRelated, trigger: HTMLElement): void {
    const quote = 'quote' in target ? target.quote : undefined;
    const element = findCitedElement(document, target.id, target.article);
    if (element === undefined) {
      openPopover(target, quote, trigger);
      return;
    }
    closePopover(false);
    const marks = highlightCitation(element, quote);
    const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    element.scrollIntoView({ behavior: reduceMotion ? 'auto' : 'smooth', block: 'center' });
    announce(`Showing paragraph ${target.paragraph} in the article.`);
    const highlighted = marks.length > 0 ? marks : [element];
    const covered =
      dock.mode !== 'docked' && highlighted.some((mark) => overlaps(panel.getBoundingClientRect(), mark.getBoundingClientRect()));
    if (window.matchMedia(NARROW_SCREEN).matches || covered) {
      // On a phone, or where the floating panel would hide the highlight: step aside so the reader sees it.
      closePanel(false);
      if (!element.hasAttribute('tabindex')) element.setAttribute('tabindex', '-1');
      element.focus({ preventScroll: true });
    }
  }

  function openPopover(target: WireCitation | WireRelated, quote: string | undefined, trigger: HTMLElement): void {
    closePopover(false);
    const text = h('p');
    const range = quote === undefined ? undefined : locateQuote(target.text, quote);
    if (range === undefined) {
      text.textContent = target.text;
    } else {
      text.append(target.text.slice(0, range[0]), h('mark', {}, target.text.slice(range[0], range[1])), target.text.slice(range[1]));
    }
    const close = h('button', { type: 'button', 'aria-label': 'Close paragraph' }, 'Close');
    const element = h(
      'div',
      { class: 'popover', role: 'dialog', 'aria-label': `Paragraph ${target.paragraph} of the article` },
      h('div', { class: 'pop-head' }, h('span', { class: 'label' }, `¶${target.paragraph} · from the article`), close),
      text,
    );
    close.addEventListener('click', () => closePopover(true));
    panel.appendChild(element);
    popover = { element, trigger };
    close.focus();
  }

  function closePopover(returnFocus: boolean): void {
    if (popover === undefined) return;
    popover.element.remove();
    if (returnFocus) popover.trigger.focus();
    popover = undefined;
  }

  function onState(state: SocketState): void {
    window.clearInterval(countdown);
    online = state.kind === 'online';
    sendButton.disabled = !online || textarea.value.trim() === '';
    if (state.kind === 'online') {
      status.hidden = true;
      void loadArticleInfo(); // starter questions, if the first attempt was made while offline
      return;
    }
    status.hidden = false;
    if (state.kind === 'connecting') {
      statusText.textContent = 'Connecting…';
      retryButton.hidden = true;
      return;
    }
    for (const [id, entry] of pending) {
      pending.delete(id);
      entry.bubble.replaceWith(
        h('div', { class: 'msg error', role: 'alert' }, 'The connection dropped before the answer arrived. Please ask again.'),
      );
    }
    if (state.closeCode === 1009) {
      addMessage(h('div', { class: 'msg error', role: 'alert' }, 'That message was too large for the server.'));
    }
    const tick = (): void => {
      const seconds = Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000));
      statusText.textContent = `Offline. Reconnecting in ${seconds} s…`;
    };
    tick();
    retryButton.hidden = false;
    countdown = window.setInterval(tick, 1000);
  }

  function resizeTextarea(): void {
    textarea.style.height = 'auto';
    textarea.style.height = `${Math.min(textarea.scrollHeight, 120)}px`;
    sendButton.disabled = !online || textarea.value.trim() === '';
  }

  launcher.addEventListener('click', openPanel);
  closeButton.addEventListener('click', () => closePanel(true));
  retryButton.addEventListener('click', () => socket.retryNow());
  resetButton.addEventListener('click', () => {
    socket.send({ type: 'reset' });
    pending.clear();
    feedback.clear();
    for (const message of Array.from(log.querySelectorAll('.msg'))) message.remove();
    intro.hidden = false;
    closePopover(false);
    // The old conversation's highlight would point at an answer that is no longer shown.
    clearHighlights(document);
    announce('New conversation started.');
    textarea.focus();
  });
  window.addEventListener('resize', () => {
    if (!panel.hidden) placePanel();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!sendButton.disabled) ask(textarea.value);
  });
  textarea.addEventListener('input', resizeTextarea);
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  panel.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    if (popover !== undefined) closePopover(true);
    else closePanel(true);
  });
}

/** A paragraph's text for the picker, without its ¶ number or photo credit. */
function excerptOf(element: HTMLElement): string {
  const copy = element.cloneNode(true) as HTMLElement;
  for (const skip of Array.from(copy.querySelectorAll('[data-cite-skip]'))) skip.remove();
  return shortText(copy.textContent ?? '');
}

function shortText(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= 70 ? clean : `${clean.slice(0, 67).replace(/\s+\S*$/, '')}…`;
}

const MOUNTED = 'data-nqa-widget';
const settings = readSettings();
if (settings !== undefined && !document.documentElement.hasAttribute(MOUNTED)) {
  document.documentElement.setAttribute(MOUNTED, '');
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => mount(settings));
  else mount(settings);
}
