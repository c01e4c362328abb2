/**
 * Where the open chat panel goes on a wide screen, so it never covers the story the reader is checking:
 * - **docked**: beside the article column, in the free space on its right, full height;
 * - **docked with a shift**: when the free space is too narrow, the column moves left (as far as the ¶
 *   numbers hanging in its left margin allow) to make room;
 * - **overlay**: the page has no column to dock beside, or the screen is too narrow even with a shift; the
 *   panel floats bottom right as before, and the widget closes it whenever it would cover a highlight;
 * - **sheet**: phones (480 px and less) get the bottom sheet.
 */
export type DockPlan =
  | { readonly mode: 'docked'; readonly width: number; readonly shift: number }
  | { readonly mode: 'overlay' }
  | { readonly mode: 'sheet' };

export interface DockGeometry {
  /** The page's width without the scroll bar (`document.documentElement.clientWidth`). */
  readonly viewportWidth: number;
  /** The article column's left and right edges, or undefined when the page has none the widget knows. */
  readonly column: { readonly left: number; readonly right: number } | undefined;
}

/** The panel's narrowest and widest docked width, and the gap kept around it. */
export const DOCK_MIN_WIDTH = 300;
export const DOCK_MAX_WIDTH = 400;
export const DOCK_MARGIN = 12;
/** Room kept left of a shifted column for the ¶ numbers that hang in its margin. */
export const DOCK_LEFT_GUTTER = 64;
export const PHONE_MAX_WIDTH = 480;

/** Pure: decides the layout from the page geometry. */
export function planDock(geometry: DockGeometry): DockPlan {
  if (geometry.viewportWidth <= PHONE_MAX_WIDTH) return { mode: 'sheet' };
  const column = geometry.column;
  if (column === undefined) return { mode: 'overlay' };
  const free = geometry.viewportWidth - column.right - 2 * DOCK_MARGIN;
  // Room beside the column as it is: dock without moving the story.
  if (free >= DOCK_MIN_WIDTH) return { mode: 'docked', width: Math.min(DOCK_MAX_WIDTH, Math.floor(free)), shift: 0 };
  const maxShift = Math.max(0, column.left - DOCK_LEFT_GUTTER);
  const shift = DOCK_MIN_WIDTH - free;
  if (shift <= maxShift) return { mode: 'docked', width: DOCK_MIN_WIDTH, shift: Math.ceil(shift) };
  return { mode: 'overlay' };
}

/** The CSS class and variable by which a shifted column moves (see `PAGE_CSS`). */
export const SHIFT_CLASS = 'nqa-shifted';

/**
 * The article column the panel docks beside: the element of the page that carries this article's
 * `data-article`, else `main`, else the first `article`. Undefined when the page has none of them.
 */
export function findColumn(doc: Document, article: string | undefined): HTMLElement | undefined {
  const tagged = article === undefined ? null : doc.querySelector<HTMLElement>(`[data-article="${cssEscape(article)}"]`);
  return tagged ?? doc.querySelector<HTMLElement>('main') ?? doc.querySelector<HTMLElement>('article') ?? undefined;
}

/** Moves the column left by `shift` px (0 puts it back). Uses relative positioning, so the page does not reflow. */
export function shiftColumn(column: HTMLElement | undefined, shift: number): void {
  if (column === undefined) return;
  if (shift <= 0) {
    column.classList.remove(SHIFT_CLASS);
    column.style.removeProperty('--nqa-shift');
    return;
  }
  column.style.setProperty('--nqa-shift', `${shift}px`);
  column.classList.add(SHIFT_CLASS);
}

/** Whether two boxes overlap (for "never cover the highlight"). */
export function overlaps(a: DOMRect, b: DOMRect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

function cssEscape(value: string): string {
  return typeof CSS !== 'undefined' && typeof CSS.escape === 'function' ? CSS.escape(value) : value.replace(/["\\]/g, '\\$&');
}
