/**
 * Drops a reasoning block (`<think> ... </think>`) that some local models (Qwen3, DeepSeek-R1 through
 * Ollama or llama.cpp) write before their answer, so it is neither shown nor verified. Only a block at
 * the very start counts; an unterminated block swallows the rest (the answer then has no text and the
 * answerer falls back).
 */
export interface ThinkFilter {
  push(token: string): string;
  flush(): string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

export function createThinkFilter(): ThinkFilter {
  let state: 'start' | 'thinking' | 'answer' = 'start';
  let buffer = '';
  const afterThinking = (): string => {
    const end = buffer.indexOf(CLOSE);
    if (end < 0) {
      buffer = buffer.slice(-(CLOSE.length - 1));
      return '';
    }
    state = 'answer';
    const rest = buffer.slice(end + CLOSE.length).trimStart();
    buffer = '';
    return rest;
  };
  return {
    push(token: string): string {
      if (state === 'answer') return token;
      buffer += token;
      if (state === 'thinking') return afterThinking();
      const start = buffer.trimStart();
      if (OPEN.startsWith(start)) return '';
      if (start.startsWith(OPEN)) {
        state = 'thinking';
        buffer = start.slice(OPEN.length);
        return afterThinking();
      }
      state = 'answer';
      const text = buffer;
      buffer = '';
      return text;
    },
    flush(): string {
      const text = state === 'start' ? buffer : '';
      buffer = '';
      return text;
    },
  };
}

/** The same for a whole reply. */
export function stripThinking(text: string): string {
  return text.replace(/^\s*<think>[\s\S]*?(?:<\/think>|$)/u, '').trim();
}
