import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { satisfiesNodeRange } from '../helpers/satisfies-node-range.js';

/** The oldest Node the README says is supported: vite and vitest need 20.19. */
const OLDEST_SUPPORTED_NODE = '20.19.0';

interface LockFile {
  readonly packages: Record<string, { readonly engines?: { readonly node?: string } | readonly string[]; readonly optional?: boolean }>;
}

async function nodeRanges(): Promise<Array<{ name: string; range: string }>> {
  const lock = JSON.parse(await readFile(new URL('../../package-lock.json', import.meta.url), 'utf8')) as LockFile;
  return Object.entries(lock.packages).flatMap(([name, entry]) => {
    const engines = entry.engines;
    const range = engines !== undefined && !Array.isArray(engines) ? (engines as { node?: string }).node : undefined;
    return name === '' || range === undefined ? [] : [{ name, range }];
  });
}

describe('package-lock.json', () => {
  it('holds no dependency whose engines field refuses the oldest supported Node or this one (npm ci prints no EBADENGINE)', async () => {
    const ranges = await nodeRanges();
    expect(ranges.length).toBeGreaterThan(20);
    const refusing = ranges.filter(
      ({ range }) => !satisfiesNodeRange(OLDEST_SUPPORTED_NODE, range) || !satisfiesNodeRange(process.versions.node, range),
    );
    expect(refusing).toEqual([]);
  });

  it('reads engines ranges the way npm does', () => {
    expect(satisfiesNodeRange('20.19.0', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfiesNodeRange('20.18.3', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfiesNodeRange('20.20.2', '>=22')).toBe(false);
    expect(satisfiesNodeRange('20.20.2', '>= 12.20')).toBe(true);
    expect(satisfiesNodeRange('20.20.2', '4.x || >=6.0.0')).toBe(true);
    expect(satisfiesNodeRange('20.20.2', '>=18 <20')).toBe(false);
    expect(() => satisfiesNodeRange('20.20.2', 'lts/*')).toThrow('engines range not understood');
  });
});
