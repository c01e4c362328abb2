import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRoute } from '../../src/chat/server/http-route.js';
import { ARTICLE_SLUG, createTestEngine, REPO_ROOT, type TestEngine } from '../helpers/create-test-engine.js';
import { slowEngine, startChatServer, type TestChatServer } from '../helpers/start-chat-server.js';
import { launchTestBrowser, withPage, type TestBrowser } from '../helpers/with-page.js';

const XSS = '<img src=x onerror=window.__xss=1>';
const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/**
 * A partner page that embeds the widget: no CSP (so an XSS bug would really run) and a `#p8` that
 * belongs to another story, which the widget must not highlight.
 */
const embedRoute: HttpRoute = async (req, res) => {
  if (req.url !== '/embed') return false;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title></head><body>
<h1>Partner site</h1><div data-article="another-story"><p id="p8">Another story's eighth paragraph.</p></div>
<script src="/widget.js" data-article="${ARTICLE_SLUG}"></script></body></html>`);
  return true;
};

/** Evaluates inside the widget's open shadow root. */
function inWidget<T>(page: Page, fn: (root: ShadowRoot) => T): Promise<T> {
  return page.evaluate(
    `(${fn.toString()})(document.getElementById('nqa-chat-widget').shadowRoot)`,
  ) as Promise<T>;
}

async function ask(page: Page, question: string): Promise<void> {
  await page.locator('textarea').fill(question);
  await page.locator('textarea').press('Enter');
}

describe('chat widget in Chromium', () => {
  let testEngine: TestEngine;
  let server: TestChatServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    [testEngine, browser] = await Promise.all([createTestEngine(), launchTestBrowser()]);
    server = await startChatServer({ engine: slowEngine(testEngine.engine, 15), routes: [embedRoute] });
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), server?.close()]);
    await testEngine?.cleanup();
  });

  it('streams an answer, then a ¶ chip scrolls to the paragraph and marks the quoted sentence', async () => {
    await withPage(browser.browser, DESKTOP, async (page) => {
      await page.goto(`${server.url}/`);
      await page.locator('.launcher').click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('nqa-chat-widget');
      await ask(page, 'How many additional troops could North Korea send?');
      // Mid-stream: the bubble already shows text while it is still marked busy.
      await page.waitForFunction(() => {
        const bubble = document.getElementById('nqa-chat-widget')?.shadowRoot?.querySelector('.msg.bot');
        return bubble?.getAttribute('aria-busy') === 'true' && (bubble.textContent ?? '').length > 20;
      });
      await page.locator('.msg.bot[aria-busy="false"]').waitFor();
      const chip = page.locator('.msg.bot .body button.chip', { hasText: '¶8' });
      await expect.poll(() => chip.count()).toBe(1);
      const answerText = await page.locator('.msg.bot .body').textContent();
      expect(answerText).toContain('150,000 additional troops');
      // The extractive answer is its quotes, so no separate Sources list repeats them.
      expect(await page.locator('.msg.bot .sources').count()).toBe(0);

      await chip.click();
      const cited = await page.evaluate(() => ({
        ids: Array.from(document.querySelectorAll('.nqa-cited')).map((el) => el.id),
        marks: Array.from(document.querySelectorAll('mark.nqa-quote')).map((el) => [el.closest('[id]')?.id, el.textContent]),
        text: document.getElementById('p8')?.textContent,
      }));
      expect(cited.ids).toEqual(['p8']);
      expect(cited.marks).toEqual([
        [
          'p8',
          "Andriy Chernyak, a spokesman for Ukraine's defense intelligence, told NPR that North Korea has the reserves to send up to 150,000 additional troops to fight with the Russians against Ukraine.",
        ],
      ]);
      // Highlighting wraps text nodes; the paragraph's text is unchanged.
      expect(cited.text).toBe(
        "¶8Andriy Chernyak, a spokesman for Ukraine's defense intelligence, told NPR that North Korea has the reserves to send up to 150,000 additional troops to fight with the Russians against Ukraine.",
      );
      await expect.poll(() => page.locator('#p8').isVisible()).toBe(true);
      await expect
        .poll(() => page.evaluate(() => {
          const box = document.getElementById('p8')?.getBoundingClientRect();
          return box !== undefined && box.top >= 0 && box.bottom <= window.innerHeight;
        }))
        .toBe(true);
    });
  });

  it('marks only the quoted sentence of a longer paragraph, and moves the highlight on the next citation', async () => {
    await withPage(browser.browser, DESKTOP, async (page) => {
      await page.goto(`${server.url}/`);
      await page.locator('.launcher').click();
      await ask(page, 'How many troops is Russia amassing along the border with Sumy?');
      await page.locator('.msg.bot[aria-busy="false"]').waitFor();
      await page.locator('.msg.bot .body button.chip', { hasText: '¶7' }).click();
      const highlight = () =>
        page.evaluate(() => ({
          cited: Array.from(document.querySelectorAll('.nqa-cited')).map((el) => el.id),
          marks: Array.from(document.querySelectorAll('mark.nqa-quote')).map((el) => el.textContent),
        }));
      expect(await highlight()).toEqual({
        cited: ['p7'],
        marks: ['Ukrainian President Volodymyr Zelenskyy told reporters that Russia is amassing 50,000 troops along the border with Sumy.'],
      });
      // A new conversation, about a photo caption: the quote is marked, the photo credit (not citable text) is not.
      await page.locator('.reset').click();
      expect(await page.locator('.msg').count()).toBe(0);
      await ask(page, 'How old is Maksym?');
      await page.locator('.msg.bot[aria-busy="false"]').waitFor();
      await page.locator('.msg.bot .body button.chip', { hasText: '¶54' }).click();
      const caption = await highlight();
      expect(caption.cited).toEqual(['p54']);
      expect(caption.marks).toHaveLength(1);
      expect(caption.marks[0]).toMatch(/^Maksym, 22, an FPV drone operator/);
      expect(caption.marks[0]).not.toContain('Anton Shtuka');
      expect(await page.locator('#p7').textContent()).toContain('Zelenskyy told reporters');
    });
  });

  it('keeps a question and answer with HTML in them inert, on a page without a CSP', async () => {
    await withPage(browser.browser, DESKTOP, async (page) => {
      await page.goto(`${server.url}/embed`);
      await page.locator('.launcher').click();
      await ask(page, XSS);
      await page.locator('.msg.bot[aria-busy="false"]').waitFor();
      expect(await page.locator('.msg.user').textContent()).toBe(XSS);
      expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
      expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
      expect(await inWidget(page, (root) => root.querySelectorAll('img').length)).toBe(0);
      // The article does not answer it: the refusal is shown as such.
      expect(await page.locator('.msg.bot').getAttribute('class')).toContain('refusal');
      expect(await page.locator('.msg.bot .label').first().textContent()).toBe('Not in the article');
      expect(await page.locator('.msg.bot .sources[aria-label="Related"] .source').count()).toBeGreaterThan(0);
    });
  });

  it('shows the cited paragraph in a popover on a page that does not carry it, and Escape returns focus', async () => {
    await withPage(browser.browser, DESKTOP, async (page) => {
      await page.goto(`${server.url}/embed`);
      await page.locator('.launcher').click();
      await ask(page, 'How many additional troops could North Korea send?');
      await page.locator('.msg.bot[aria-busy="false"]').waitFor();
      const chip = page.locator('.msg.bot .body button.chip', { hasText: '¶8' });
      await chip.click();
      const popover = page.locator('.popover[role="dialog"]');
      await popover.waitFor();
      expect(await popover.locator('mark').textContent()).toContain('150,000 additional troops');
      expect(await popover.textContent()).toContain('Andriy Chernyak');
      // The partner's own #p8 belongs to another story and is left alone.
      expect(await page.evaluate(() => document.querySelectorAll('.nqa-cited, mark.nqa-quote').length)).toBe(0);
      await page.keyboard.press('Escape');
      await popover.waitFor({ state: 'detached' });
      expect(await inWidget(page, (root) => root.activeElement?.textContent)).toBe('¶8');
    });
  });

  it('works by keyboard: Enter opens and sends, Escape closes and returns focus to the launcher', async () => {
    await withPage(browser.browser, DESKTOP, async (page) => {
      await page.goto(`${server.url}/`);
      await page.locator('.launcher').focus();
      await page.keyboard.press('Enter');
      expect(await inWidget(page, (root) => root.activeElement?.tagName)).toBe('TEXTAREA');
      await page.locator('.starter').first().waitFor();
      await page.keyboard.type('Who is Vlad?');
      await page.keyboard.press('Enter');
      await page.locator('.msg.bot[aria-busy="false"]').waitFor();
      // The log is not live (streamed words would be read one by one); a polite status region says each answer.
      expect(await page.locator('[role="log"]').getAttribute('aria-live')).toBe('off');
      expect(await page.locator('.visually-hidden[role="status"]').getAttribute('aria-live')).toBe('polite');
      await page.keyboard.press('Escape');
      expect(await page.locator('.panel').isHidden()).toBe(true);
      expect(await inWidget(page, (root) => root.activeElement?.className)).toBe('launcher');
      expect(await page.locator('.launcher').getAttribute('aria-expanded')).toBe('false');
    });
  });

  it('fits a 390 px phone screen and steps aside to show the cited paragraph', async () => {
    await withPage(browser.browser, PHONE, async (page) => {
      await page.goto(`${server.url}/`);
      await page.locator('.launcher').click();
      const box = await page.locator('.panel').boundingBox();
      expect(box).not.toBeNull();
      expect(box?.x).toBeGreaterThanOrEqual(0);
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
      expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(844);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await ask(page, 'How many additional troops could North Korea send?');
      await page.locator('.msg.bot[aria-busy="false"]').waitFor();
      await page.locator('.msg.bot .body button.chip').first().tap();
      expect(await page.locator('.panel').isHidden()).toBe(true);
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('p8');
    });
  });

  it('says when it is offline, reconnects by itself, and asks again once back', async () => {
    const own = await startChatServer({ engine: testEngine.engine });
    const port = own.port;
    let restarted: TestChatServer | undefined;
    try {
      await withPage(browser.browser, DESKTOP, async (page) => {
        await page.goto(`${own.url}/`);
        await page.locator('.launcher').click();
        await page.locator('.starter').first().waitFor();
        await expect.poll(() => page.locator('.status').isHidden()).toBe(true);
        await own.close();
        await page.locator('.status', { hasText: 'Offline' }).waitFor();
        expect(await page.locator('.composer button[type="submit"]').isDisabled()).toBe(true);
        restarted = await startChatServer({ engine: testEngine.engine, config: { port } });
        await page.locator('.status').waitFor({ state: 'hidden', timeout: 20_000 });
        await ask(page, 'Who is Kyrylo Budanov?');
        await page.locator('.msg.bot[aria-busy="false"]').waitFor();
        expect(await page.locator('.msg.bot .body').textContent()).toContain('Budanov');
      });
    } finally {
      await own.close();
      await restarted?.close();
    }
  });

  describe('with article text that contains HTML', () => {
    const HOSTILE = 'A screenshot of the council website showed <img src=x onerror=window.__xss=1> where the vote tally should have been.';
    let corpusDir: string;
    let hostile: TestEngine;
    let hostileServer: TestChatServer;

    beforeAll(async () => {
      corpusDir = await mkdtemp(path.join(os.tmpdir(), 'nqa-hostile-'));
      const fixture = await readFile(path.join(REPO_ROOT, 'tests/fixtures/short-article.txt'), 'utf8');
      const withHostile = fixture.replace('Paying for it\n', `Paying for it\n\n${HOSTILE}\n`);
      expect(withHostile).toContain(HOSTILE);
      await writeFile(path.join(corpusDir, 'flood-barrier.txt'), withHostile);
      hostile = await createTestEngine({ corpusDir });
      const embed: HttpRoute = async (req, res) => {
        if (req.url !== '/embed') return false;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><html><body><h1>Partner</h1><script src="/widget.js" data-article="flood-barrier"></script></body></html>');
        return true;
      };
      hostileServer = await startChatServer({ engine: hostile.engine, routes: [embed] });
    });
    afterAll(async () => {
      await hostileServer?.close();
      await hostile?.cleanup();
      await rm(corpusDir, { recursive: true, force: true });
    });

    it('renders it as text on the article page, in the answer, in the highlight and in the popover', async () => {
      const question = 'What did the council website show where the vote tally should have been?';
      await withPage(browser.browser, DESKTOP, async (page) => {
        await page.goto(`${hostileServer.url}/`);
        const paragraph = page.locator('p.para', { hasText: 'A screenshot of the council website' });
        expect(await paragraph.textContent()).toContain('<img src=x onerror=window.__xss=1>');
        await page.locator('.launcher').click();
        await ask(page, question);
        await page.locator('.msg.bot[aria-busy="false"]').waitFor();
        expect(await page.locator('.msg.bot .body').textContent()).toContain('<img src=x onerror=window.__xss=1>');
        await page.locator('.msg.bot .body button.chip').first().click();
        expect(await page.locator('mark.nqa-quote').textContent()).toBe(HOSTILE);
        expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
        expect(await inWidget(page, (root) => root.querySelectorAll('img').length)).toBe(0);
        expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
      });
      await withPage(browser.browser, DESKTOP, async (page) => {
        await page.goto(`${hostileServer.url}/embed`);
        await page.locator('.launcher').click();
        await ask(page, question);
        await page.locator('.msg.bot[aria-busy="false"]').waitFor();
        await page.locator('.msg.bot .body button.chip').first().click();
        expect(await page.locator('.popover mark').textContent()).toBe(HOSTILE);
        expect(await inWidget(page, (root) => root.querySelectorAll('img').length)).toBe(0);
        expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
      });
    });
  });
});
