// @ts-check
/**
 * The Universal Sentence Encoder's SentencePiece tokenizer, in linear time.
 *
 * `@energetic-ai/embeddings` ships the same algorithm (a unigram Viterbi over an 8,000-piece vocabulary),
 * but its prefix search copies the rest of the input at every position (`symbols.slice(i)`), so encoding
 * is quadratic: 10,000 characters took 0.1 s, 30,000 took 16 s. This walks the trie by index instead and
 * relaxes each piece as it is found, so the cost is (characters x longest piece). The token ids are the
 * library's, id for id, quirks included (an unknown character is a free piece of id 0 and runs of them
 * merge into one; the walk back subtracts each piece's UTF-16 length), so every vector stays bit-for-bit
 * what the model gave before. `tests/unit/use-tokenizer.test.ts` checks that against the library.
 *
 * Plain JavaScript so the embedding worker (`embedding-worker.mjs`) can load it without a TypeScript loader;
 * `use-tokenizer.d.mts` gives TypeScript callers its types.
 */

const SEPARATOR = '\u2581';
/** The first vocabulary entries (unknown, <s>, </s>, three extra ids) are never matched. */
const RESERVED_SYMBOLS_COUNT = 6;

/**
 * @typedef {{ children: Map<string, TrieNode>, end: boolean, score: number, index: number, length: number }} TrieNode
 */

/** @returns {TrieNode} */
function createNode(length) {
  return { children: new Map(), end: false, score: 0, index: 0, length };
}

/**
 * @param {ReadonlyArray<readonly [string, number]>} vocabulary `[piece, log-probability]` per token id.
 * @returns {{ encode(text: string): number[] }}
 */
export function createUseTokenizer(vocabulary) {
  const root = createNode(0);
  for (let id = RESERVED_SYMBOLS_COUNT; id < vocabulary.length; id += 1) {
    const [piece, score] = /** @type {readonly [string, number]} */ (vocabulary[id]);
    let node = root;
    let length = 0;
    for (const symbol of piece) {
      length += 1;
      let child = node.children.get(symbol);
      if (child === undefined) {
        child = createNode(length);
        node.children.set(symbol, child);
      }
      node = child;
    }
    if (node !== root) {
      // A repeated piece keeps its last id, as the library's trie does.
      node.end = true;
      node.score = score;
      node.index = id;
    }
  }
  /** UTF-16 length of each piece: the library's walk back steps by it. */
  const pieceLengths = vocabulary.map(([piece]) => piece.length);

  return {
    encode(text) {
      const normalized = text.normalize('NFKC');
      const input = normalized.length > 0 ? SEPARATOR + normalized.replace(/ /g, SEPARATOR) : normalized;
      const symbols = Array.from(input);
      const n = symbols.length;
      const best = new Float64Array(n + 1);
      const words = new Int32Array(n + 1);
      // For each end position the library tries pieces in order of their start, earliest first, keeping a
      // later one on a tie or while the best score is still 0. Relaxing from each start in ascending order
      // visits every end position's candidates in that same order, with best[start] already final.
      for (let start = 0; start < n; start += 1) {
        const from = best[start];
        let node = root.children.get(/** @type {string} */ (symbols[start]));
        if (node === undefined) {
          relax(start + 1, from, 0);
          continue;
        }
        let matched = false;
        for (let i = start; node !== undefined; ) {
          if (node.end) {
            matched = true;
            relax(start + node.length, from + node.score, node.index);
          }
          i += 1;
          if (i >= n) break;
          node = node.children.get(/** @type {string} */ (symbols[i]));
        }
        // No piece starts here: the character is unknown (id 0, score 0).
        if (!matched) relax(start + 1, from, 0);
      }

      /** @param {number} end @param {number} score @param {number} id */
      function relax(end, score, id) {
        if (best[end] === 0 || score >= best[end]) {
          best[end] = score;
          words[end] = id;
        }
      }

      const reversed = [];
      for (let at = n; at > 0; at -= /** @type {number} */ (pieceLengths[/** @type {number} */ (words[at])])) {
        reversed.push(/** @type {number} */ (words[at]));
      }
      const ids = [];
      let previousUnknown = false;
      for (const id of reversed) {
        if (!(previousUnknown && id === 0)) ids.push(id);
        previousUnknown = id === 0;
      }
      return ids.reverse();
    },
  };
}
