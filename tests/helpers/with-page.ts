import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium; `.ci/run` installs it when missing. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

export interface TestBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium (Playwright gives each launch a fresh temporary profile) and fails with a
 * named message when it cannot start within `timeoutMs`.
 */
export async function launchTestBrowser(timeoutMs = 30_000): Promise<TestBrowser> {
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS, timeout: timeoutMs });
  } catch (cause) {
    throw new Error(
      `launching ${CHROMIUM_PATH} failed within ${timeoutMs} ms (is Debian's chromium installed?): ${(cause as Error).message}`,
      { cause },
    );
  }
  return {
    browser,
    close: () => withTimeout(browser.close(), 10_000, 'closing Chromium'),
  };
}

/**
 * Runs `fn` with a page in a fresh browser context (own cookies and storage), collecting page errors.
 * The context is always closed; a page error fails the test after `fn` returns.
 */
export async function withPage<T>(
  browser: Browser,
  options: BrowserContextOptions,
  fn: (page: Page) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext(options);
  const errors: string[] = [];
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => errors.push(error.message));
    const result = await fn(page);
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    return result;
  } finally {
    await withTimeout(context.close(), 10_000, 'closing the browser context');
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
