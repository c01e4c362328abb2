import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The widget sources: browser-only TypeScript, type-checked with the rest of the project. */
export const WIDGET_SOURCE_DIR = fileURLToPath(new URL('../../widget/', import.meta.url));
const ENTRY = 'chat-widget';
const RELATIVE_IMPORT = /\brequire\("([^"]+)"\)/g;

export interface WidgetScript {
  readonly code: string;
  /** Strong ETag of `code`. */
  readonly etag: string;
}

/**
 * Turns `src/widget/*.ts` into ONE classic script any page can embed with `<script src=".../widget.js">`.
 * Each file is transpiled on its own with esbuild's `transform` (no bundling) and wrapped
 * in a tiny module table; imports between widget files resolve at run time. Any import that is not a
 * sibling widget file (a Node built-in, an npm package) fails the build: the widget runs in browsers only.
 */
export async function buildWidgetScript(dir: string = WIDGET_SOURCE_DIR): Promise<WidgetScript> {
  // esbuild (already installed as tsx's transpiler) loads in milliseconds; the TypeScript compiler cost
  // about a second and 150 MB at every start.
  const { transform } = await import('esbuild');
  const files = (await readdir(dir)).filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts')).sort();
  const names = new Set(files.map((file) => file.slice(0, -3)));
  if (!names.has(ENTRY)) throw new Error(`${dir}: the widget entry ${ENTRY}.ts is missing`);
  const modules: string[] = [];
  for (const file of files) {
    const source = await readFile(path.join(dir, file), 'utf8');
    let outputText: string;
    try {
      ({ code: outputText } = await transform(source, {
        loader: 'ts',
        format: 'cjs',
        target: 'es2020',
        sourcefile: file,
        legalComments: 'none',
      }));
    } catch (cause) {
      throw new Error(`${file}: cannot transpile the widget: ${(cause as Error).message}`, { cause });
    }
    for (const match of outputText.matchAll(RELATIVE_IMPORT)) {
      const spec = match[1] as string;
      const target = /^\.\/([a-z0-9-]+)\.js$/.exec(spec)?.[1];
      if (target === undefined || !names.has(target)) {
        throw new Error(`${file}: the widget may import only sibling widget files ("./name.js"), found "${spec}"`);
      }
    }
    modules.push(`${JSON.stringify(file.slice(0, -3))}: function (exports, require, module) {\n${outputText}\n}`);
  }
  const code = `/* newsroom-qa chat widget: built from src/widget at server start */
(function () {
"use strict";
var modules = {
${modules.join(',\n')}
};
var cache = {};
function load(name) {
  if (cache[name]) return cache[name].exports;
  var module = (cache[name] = { exports: {} });
  modules[name](module.exports, function (spec) { return load(spec.slice(2, -3)); }, module);
  return module.exports;
}
load(${JSON.stringify(ENTRY)});
})();
`;
  const etag = `"${createHash('sha256').update(code).digest('base64url').slice(0, 27)}"`;
  return { code, etag };
}
