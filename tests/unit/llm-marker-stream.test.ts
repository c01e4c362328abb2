import { describe, expect, it } from 'vitest';
import { createMarkerStream } from '../../src/chat/llm/marker-stream.js';

/** Feeds tokens through a fresh marker stream; returns every non-empty piece it passed on, flush included. */
function run(tokens: readonly string[]): string[] {
  const stream = createMarkerStream();
  const pieces = tokens.map((t) => stream.push(t));
  pieces.push(stream.flush());
  return pieces.filter((p) => p !== '');
}

/** A piece that ends inside a marker or starts in the middle of one. */
const HALF_MARKER = /\[[^\]]*$|^[^[]*\]|¶\d*$/;

describe('createMarkerStream', () => {
  it('holds "[", "[¶" and "[¶1" back until the marker closes', () => {
    const stream = createMarkerStream();
    expect(stream.push('killed in Kursk [')).toBe('killed in Kursk ');
    expect(stream.push('¶')).toBe('');
    expect(stream.push('4')).toBe('');
    expect(stream.push('3].')).toBe('[¶43].');
    expect(stream.flush()).toBe('');
  });

  it('passes a marker split as "[", "¶1", "2]" on in one piece', () => {
    expect(run(['Budanov said so ', '[', '¶1', '2]', '.'])).toEqual(['Budanov said so ', '[¶12]', '.']);
  });

  it('holds a list of markers until its bracket closes', () => {
    expect(run(['both [¶12', ', ¶4', '3] agree'])).toEqual(['both ', '[¶12, ¶43] agree']);
  });

  it('holds bare "¶1" and "(¶" forms too', () => {
    expect(run(['see ¶1', '2 now'])).toEqual(['see ', '¶12 now']);
    expect(run(['see (', '¶12', ') now'])).toEqual(['see ', '(¶12) now']);
  });

  it('releases a bracket that turns out not to be a marker', () => {
    expect(run(['FPV [', 'first-person view] drones'])).toEqual(['FPV ', '[first-person view] drones']);
  });

  it('releases held text at flush when the stream ends inside a marker', () => {
    expect(run(['cut off [¶4'])).toEqual(['cut off ', '[¶4']);
  });

  it('never changes the text and never emits half a marker, wherever the tokens are cut', () => {
    const text = 'Some 4,700 soldiers were killed [¶43]. Russia agreed [¶12, ¶43] (¶7) to help [¶3].';
    for (let a = 1; a < text.length; a += 1) {
      for (const b of [a + 1, a + 3, a + 7]) {
        const pieces = run([text.slice(0, a), text.slice(a, b), text.slice(b)]);
        expect(pieces.join('')).toBe(text);
        for (const piece of pieces.slice(0, -1)) expect(piece).not.toMatch(HALF_MARKER);
      }
    }
  });
});
