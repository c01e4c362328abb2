import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createEngine } from '../src/chat/create-engine.js';
import { createChatServer } from '../src/chat/server/create-chat-server.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { launchTestBrowser, withPage } from '../tests/helpers/with-page.js';

/**
 * `npm run screenshot` (`tsx scripts/screenshot-widget.ts [--out FILE] [--question TEXT]`): the docked reader
 * widget at 1280x800 in real Chromium, after a question whose ¶ chip was pressed, so the highlighted
 * sentence shows beside the panel. Starts its own server (the real engine, an index in a temp dir, port 0)
 * and writes docs/widget-docked.png.
 */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: path.join(REPO_ROOT, 'docs/widget-docked.png') },
      question: { type: 'string', default: 'How many North Korean soldiers were killed in Kursk?' },
    },
  });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'nqa-screenshot-'));
  const engine = await createEngine({ corpusDir: path.join(REPO_ROOT, 'corpus'), dataDir });
  const server = await createChatServer({ engine, config: { ...loadConfig({}).server, host: '127.0.0.1', port: 0 }, logger: silentLogger });
  const browser = await launchTestBrowser();
  try {
    await withPage(browser.browser, { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 }, async (page) => {
      await page.goto(`${server.url}/`);
      await page.locator('.launcher').click();
      await page.locator('.starter').nth(1).waitFor();
      await page.locator('textarea').fill(values.question as string);
      await page.locator('textarea').press('Enter');
      await page.locator('.msg.bot[aria-busy="false"]').waitFor();
      await page.locator('.msg.bot .body button.chip').first().click();
      await page.waitForTimeout(800); // the smooth scroll to the paragraph
      await page.locator('textarea').blur();
      await page.screenshot({ path: values.out as string });
    });
    process.stdout.write(`Wrote ${values.out as string}\n`);
  } finally {
    await browser.close();
    await server.close();
    await engine.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
