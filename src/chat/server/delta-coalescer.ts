export interface DeltaCoalescerOptions {
  /** Sends one `delta` frame. */
  readonly send: (id: string, text: string) => void;
  /** Bytes waiting in the socket's send buffer (`socket.bufferedAmount`). */
  readonly bufferedBytes: () => number;
  /** Once the send buffer plus the text held here would pass this, the rest of the answer's deltas are dropped. */
  readonly maxBufferedBytes: number;
}

export interface DeltaCoalescer {
  /** Starts the deltas of answer `id` (a connection answers one question at a time). */
  begin(id: string): void;
  /** Holds `text`; what arrives before the event loop's next turn goes out as one frame. */
  push(text: string): void;
  /** Sends what is held now (before any other frame, so that frame follows the deltas). */
  flush(): void;
  /**
   * Just before the answer's final frame: what is held is sent when earlier deltas of this answer were, so the
   * deltas still add up to the answer; when nothing was sent yet the whole answer came in one burst, and it is
   * dropped: the final frame carries the text, and a delta would only repeat it.
   */
  settle(): void;
  /** Frames sent and pieces dropped since `begin`. */
  counts(): { readonly sent: number; readonly skipped: number };
}

/**
 * Joins the deltas an answerer produces within one turn of the event loop into one WebSocket frame. The
 * extractive answerer has its whole text at once and hands it over word by word: sent as is, that was a frame
 * and a socket write per word, all reaching the reader in the same instant, and now it is no delta at all (see
 * `settle`). An LLM's tokens come in separate network reads and so still go out as they come. Deltas stay in
 * order and add up to the answer's text; once a slow reader's buffer is over the cap, the rest of that
 * answer's deltas are dropped (never resumed, so the reader never sees a gap) and the final answer carries
 * the whole text.
 */
export function createDeltaCoalescer(options: DeltaCoalescerOptions): DeltaCoalescer {
  let id = '';
  let held = '';
  let heldBytes = 0;
  let scheduled = false;
  let sent = 0;
  let skipped = 0;

  function flush(): void {
    if (held === '') return;
    const text = held;
    held = '';
    heldBytes = 0;
    sent += 1;
    options.send(id, text);
  }

  return {
    begin(next) {
      flush();
      id = next;
      sent = 0;
      skipped = 0;
    },
    push(text) {
      const bytes = Buffer.byteLength(text);
      if (skipped > 0 || options.bufferedBytes() + heldBytes + bytes > options.maxBufferedBytes) {
        skipped += 1;
        return;
      }
      held += text;
      heldBytes += bytes;
      if (!scheduled) {
        scheduled = true;
        // A macrotask, not a microtask: the answer's own continuation runs first and can settle a one-burst answer.
        setImmediate(() => {
          scheduled = false;
          flush();
        });
      }
    },
    flush,
    settle() {
      if (sent > 0) flush();
      held = '';
      heldBytes = 0;
    },
    counts: () => ({ sent, skipped }),
  };
}
