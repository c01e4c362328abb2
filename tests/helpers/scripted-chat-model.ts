import { BaseChatModel, type BaseChatModelCallOptions } from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';

/**
 * What the scripted model does for one call: emit `tokens` (each one a streamed chunk), optionally
 * pausing `delayMs` before each, then throw `error` after `failAfter` tokens, or hang forever after
 * `hangAfter` tokens (ignoring the abort signal, like a stuck provider).
 */
export interface ScriptedReply {
  readonly tokens: readonly string[];
  readonly delayMs?: number;
  readonly error?: Error;
  readonly failAfter?: number;
  readonly hangAfter?: number;
}

/** One call as the model saw it. */
export interface ScriptedCall {
  readonly messages: readonly BaseMessage[];
  /** The system message's text ('' if none): tells the condense prompt from the answer prompt. */
  readonly system: string;
  /** The last human message's text. */
  readonly human: string;
  readonly streamed: boolean;
}

export type Script = readonly ScriptedReply[] | ((call: ScriptedCall, index: number) => ScriptedReply);

/**
 * A chat model written against LangChain's `BaseChatModel` that replays a script instead of calling a
 * network: `.stream()` yields the chosen tokens, `.invoke()` returns them joined. Every call is
 * recorded in `calls` so tests can assert on the prompts. Running past the end of an array script
 * throws, so an unexpected extra call fails the test.
 */
export class ScriptedChatModel extends BaseChatModel<BaseChatModelCallOptions> {
  readonly calls: ScriptedCall[] = [];
  private readonly script: Script;

  constructor(script: Script) {
    super({});
    this.script = script;
  }

  _llmType(): string {
    return 'scripted';
  }

  private next(messages: BaseMessage[], streamed: boolean): ScriptedReply {
    const text = (m: BaseMessage | undefined) => (m === undefined ? '' : m.text);
    const call: ScriptedCall = {
      messages,
      system: text(messages.find((m) => m.getType() === 'system')),
      human: text(messages.filter((m) => m.getType() === 'human').at(-1)),
      streamed,
    };
    const index = this.calls.length;
    this.calls.push(call);
    const reply = typeof this.script === 'function' ? this.script(call, index) : this.script[index];
    if (reply === undefined) throw new Error(`ScriptedChatModel: no reply scripted for call ${index + 1}`);
    return reply;
  }

  override async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const reply = this.next(messages, false);
    let text = '';
    for await (const token of play(reply, options.signal)) text += token;
    return { generations: [{ text, message: new AIMessage(text) }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const reply = this.next(messages, true);
    for await (const token of play(reply, options.signal)) {
      const chunk = new ChatGenerationChunk({ text: token, message: new AIMessageChunk({ content: token }) });
      yield chunk;
      await runManager?.handleLLMNewToken(token);
    }
  }
}

async function* play(reply: ScriptedReply, signal: AbortSignal | undefined): AsyncGenerator<string> {
  for (const [i, token] of reply.tokens.entries()) {
    if (reply.failAfter === i && reply.error !== undefined) throw reply.error;
    if (reply.hangAfter === i) await new Promise<never>(() => {});
    if (reply.delayMs !== undefined) await sleep(reply.delayMs, signal);
    yield token;
  }
  if (reply.hangAfter !== undefined && reply.hangAfter >= reply.tokens.length) await new Promise<never>(() => {});
  if (reply.error !== undefined && (reply.failAfter === undefined || reply.failAfter >= reply.tokens.length)) throw reply.error;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}

/** A text cut into tokens of about `size` characters (the way a model streams it). */
export function tokensOf(text: string, size = 4): string[] {
  const tokens: string[] = [];
  for (let i = 0; i < text.length; i += size) tokens.push(text.slice(i, i + size));
  return tokens;
}
