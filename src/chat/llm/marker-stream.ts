/**
 * Re-cuts streamed model text so that no piece ends inside a citation marker. Text that could still grow
 * into a marker (`[`, `[¶`, `[¶1`, `[¶12, ¶4`, `[1`, `(¶`, a bare `¶1`) is held back until it is complete or clearly
 * not a marker, so a reader never sees half a marker and every marker reaches the next stage in one piece.
 * The text is never changed: the pieces returned by all `push` calls plus `flush` concatenate to the input.
 */
export interface MarkerStream {
  /** Adds a model token; returns the text that is now safe to pass on ('' while a marker may be open). */
  push(token: string): string;
  /** Ends the stream; returns whatever was held back. */
  flush(): string;
}

/** An unfinished marker at the very end of the text: an opening bracket that may still become `[¶N]`. */
const OPEN_MARKER_AT_END =
  /(?:\[\s*(?:¶\s*)?(?:\d+(?:\s*[,;]\s*(?:¶\s*)?\d*)*)?|\(\s*(?:¶\s*(?:\d+(?:\s*[,;]\s*(?:¶\s*)?\d*)*)?)?|¶\s*\d*)$/u;

/** Longer than any real marker list: past this the held text is released as plain text. */
const MAX_HELD_CHARS = 40;

export function createMarkerStream(): MarkerStream {
  let held = '';
  return {
    push(token: string): string {
      const text = held + token;
      const open = OPEN_MARKER_AT_END.exec(text);
      if (open === null || text.length - open.index > MAX_HELD_CHARS) {
        held = '';
        return text;
      }
      held = text.slice(open.index);
      return text.slice(0, open.index);
    },
    flush(): string {
      const rest = held;
      held = '';
      return rest;
    },
  };
}
