import { readFile, writeFile } from 'node:fs/promises';
import { Embeddings } from '@langchain/core/embeddings';

/**
 * Embeddings replayed from a file written by `recordEmbeddings`: the kill test's child rebuilds the
 * index fifty times, and replaying the real model's vectors makes each rebuild take milliseconds while
 * producing exactly the index the model would. A text that was not recorded is an error, never a guess.
 */
export class RecordedEmbeddings extends Embeddings {
  private readonly vectors: ReadonlyMap<string, number[]>;

  private constructor(vectors: ReadonlyMap<string, number[]>) {
    super({});
    this.vectors = vectors;
  }

  static async load(file: string): Promise<RecordedEmbeddings> {
    const { texts, vectors } = JSON.parse(await readFile(file, 'utf8')) as { texts: string[]; vectors: number[][] };
    return new RecordedEmbeddings(new Map(texts.map((text, i) => [text, vectors[i]!])));
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.lookup(text));
  }

  override async embedQuery(text: string): Promise<number[]> {
    return this.lookup(text);
  }

  private lookup(text: string): number[] {
    const vector = this.vectors.get(text);
    if (vector === undefined) throw new Error(`no recorded vector for "${text.slice(0, 60)}"`);
    return vector;
  }
}

/** Writes the vectors of `texts` from `embed` (the real model) for `RecordedEmbeddings.load`. */
export async function recordEmbeddings(
  file: string,
  texts: readonly string[],
  embed: (texts: string[]) => Promise<number[][]>,
): Promise<void> {
  const unique = [...new Set(texts)];
  await writeFile(file, JSON.stringify({ texts: unique, vectors: await embed(unique) }));
}
