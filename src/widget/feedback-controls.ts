import { h, icon } from './dom.js';

/**
 * The feedback row under every answer: thumbs up, thumbs down, and "Wrong source", which opens a picker
 * for the paragraph that answers instead (optional: a select listing the story's paragraphs, or a click on
 * a paragraph of the page). Each choice sends `{"type":"feedback","id","rating","paragraph"?}`; the row
 * says "Thanks" once the server acknowledges it, or shows the server's error.
 */
export interface ParagraphChoice {
  readonly number: number;
  readonly excerpt: string;
}

export interface FeedbackControlsOptions {
  /** The answer's id (the question's id on the socket). */
  readonly id: string;
  /** Sends one frame; false when offline. */
  readonly send: (frame: Record<string, unknown>) => boolean;
  /** The paragraphs a reader can pick as the right source (from the page or the API). */
  readonly paragraphs: () => Promise<readonly ParagraphChoice[]>;
  /** Starts picking a paragraph on the page; calls `onPick` with its number; returns a function that stops. */
  readonly pickOnPage: (onPick: (number: number) => void) => (() => void) | undefined;
  /** Said by the widget's live region. */
  readonly announce: (text: string) => void;
}

export interface FeedbackControls {
  readonly element: HTMLElement;
  /** The server stored the last rating. */
  acknowledged(): void;
  /** The server refused it; `message` is shown. */
  failed(message: string): void;
}

const THUMB_UP = 'M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z';
const THUMB_DOWN = 'M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.4 1.1l1.1 1 6.6-6.6c.4-.4.6-.9.6-1.4V5a2 2 0 0 0-2-2H7c-.8 0-1.5.5-1.8 1.2l-3 7.1c-.1.2-.2.5-.2.7v2z';

export function createFeedbackControls(options: FeedbackControlsOptions): FeedbackControls {
  const status = h('span', { class: 'fb-status' });
  const up = h('button', { type: 'button', class: 'rate', 'data-rating': 'up', 'aria-label': 'Helpful', 'aria-pressed': 'false', title: 'Helpful' });
  up.appendChild(icon(THUMB_UP));
  const down = h('button', { type: 'button', class: 'rate', 'data-rating': 'down', 'aria-label': 'Not helpful', 'aria-pressed': 'false', title: 'Not helpful' });
  down.appendChild(icon(THUMB_DOWN));
  const wrong = h('button', { type: 'button', class: 'rate wrong', 'data-rating': 'wrong_source', 'aria-expanded': 'false' }, 'Wrong source');
  const row = h('div', { class: 'feedback', role: 'group', 'aria-label': 'Rate this answer' }, up, down, wrong, status);
  const element = h('div', { class: 'feedback-area' }, row);
  let picker: { element: HTMLElement; stopPicking: (() => void) | undefined } | undefined;

  function rate(rating: 'up' | 'down' | 'wrong_source', paragraph?: number): void {
    const sent = options.send({ type: 'feedback', id: options.id, rating, ...(paragraph === undefined ? {} : { paragraph }) });
    if (!sent) {
      status.textContent = 'Offline: feedback not sent.';
      return;
    }
    up.setAttribute('aria-pressed', String(rating === 'up'));
    down.setAttribute('aria-pressed', String(rating === 'down'));
    status.textContent = 'Sending…';
  }

  function closePicker(returnFocus: boolean): void {
    if (picker === undefined) return;
    picker.stopPicking?.();
    picker.element.remove();
    picker = undefined;
    wrong.setAttribute('aria-expanded', 'false');
    if (returnFocus) wrong.focus();
  }

  async function openPicker(): Promise<void> {
    if (picker !== undefined) return;
    const selectId = `nqa-pick-${options.id}`;
    const select = h('select', { id: selectId }, h('option', { value: '' }, 'I don’t know'));
    const send = h('button', { type: 'button', class: 'send' }, 'Send');
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const box = h(
      'div',
      { class: 'picker' },
      h('label', { for: selectId }, 'Which paragraph answers it? (optional)'),
      select,
      h('div', { class: 'picker-actions' }, send, cancel),
    );
    picker = { element: box, stopPicking: undefined };
    element.appendChild(box);
    wrong.setAttribute('aria-expanded', 'true');
    send.addEventListener('click', () => {
      const value = select.value === '' ? undefined : Number(select.value);
      closePicker(true);
      rate('wrong_source', value);
    });
    cancel.addEventListener('click', () => closePicker(true));
    box.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      closePicker(true);
    });
    select.focus();
    const choices = await options.paragraphs().catch(() => []);
    for (const choice of choices) select.appendChild(h('option', { value: String(choice.number) }, `¶${choice.number} · ${choice.excerpt}`));
    const stop = options.pickOnPage((number) => {
      select.value = String(number);
      options.announce(`Paragraph ${number} selected. Press Send to report it.`);
      send.focus();
    });
    if (picker?.element === box) {
      picker.stopPicking = stop;
      if (stop !== undefined) box.insertBefore(h('p', { class: 'hint' }, 'Or select the paragraph in the story.'), box.lastChild);
    } else {
      stop?.();
    }
  }

  up.addEventListener('click', () => rate('up'));
  down.addEventListener('click', () => rate('down'));
  wrong.addEventListener('click', () => {
    if (picker === undefined) void openPicker();
    else closePicker(true);
  });

  return {
    element,
    acknowledged() {
      status.textContent = 'Thanks for the feedback.';
      options.announce('Thanks for the feedback.');
    },
    failed(message) {
      status.textContent = message;
      options.announce(message);
    },
  };
}
