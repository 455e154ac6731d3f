import { test as base, expect, Browser, BrowserContext, Page } from '@playwright/test';
import { spawn, spawnSync, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

// A status the server answers on purpose (a refused form, a conflict, sign-in required): Chromium
// logs the response as a console error, and the journey asserts the answer itself.
const EXPECTED_REFUSAL = /^Failed to load resource: the server responded with a status of 4\d\d/;

/**
 * Every journey's `test`: it fails on any browser console error, uncaught page error or
 * Content-Security-Policy violation (Chromium logs those as console errors), in every page of the
 * test's context and of the contexts it opens itself.
 */
export const test = base.extend<{ cleanConsole: void }>({
  cleanConsole: [
    async ({ context, browser }, use) => {
      const errors: string[] = [];
      const watchPage = (page: Page) => {
        page.on('console', (m) => {
          if (m.type() === 'error' && !EXPECTED_REFUSAL.test(m.text())) errors.push(`${page.url()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
      };
      const watchContext = (c: BrowserContext) => {
        c.pages().forEach(watchPage);
        c.on('page', watchPage);
      };
      watchContext(context);
      const newContext = browser.newContext.bind(browser);
      (browser as Browser).newContext = async (...args: Parameters<Browser['newContext']>) => {
        const c = await newContext(...args);
        watchContext(c);
        return c;
      };
      await use();
      (browser as Browser).newContext = newContext;
      expect(errors, 'the browser console stays clean').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };
// The debug build by default; VENDITA_E2E_BINARY=target/release/vendita runs the journeys on the
// release build, its WASM split into chunks.
const BINARY = path.resolve(ROOT, process.env.VENDITA_E2E_BINARY ?? 'target/debug/vendita');

/**
 * Gives the calling spec file a server of its own on `port`, with a fresh SQLite database (the
 * demo data loaded first when asked), so it runs the same whatever the other files did before.
 * Registers the file's beforeAll/afterAll; returns the base URL and the run's folder (database,
 * and room for the file's screenshots and downloads).
 */
export function ownServer(name: string, port: number, options: { demo?: boolean } = {}): { base: string; dir: string } {
  const base = `http://127.0.0.1:${port}`;
  const dir = path.join(ROOT, 'end2end', '.tmp', `${name}-${Date.now()}`);
  let server: ChildProcess | undefined;
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    fs.mkdirSync(dir, { recursive: true });
    const env = {
      ...process.env,
      DATABASE_URL: `sqlite://${dir}/e2e.db?mode=rwc`,
      LEPTOS_OUTPUT_NAME: 'vendita',
      LEPTOS_SITE_ROOT: 'target/site',
      LEPTOS_SITE_PKG_DIR: 'pkg',
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      RUST_LOG: 'warn',
    };
    if (options.demo) {
      const demo = spawnSync(BINARY, ['demo'], { cwd: ROOT, env });
      if (demo.status !== 0) throw new Error(`vendita demo failed: ${demo.stderr}`);
    }
    server = spawn(BINARY, ['serve'], { cwd: ROOT, stdio: 'ignore', env });
    for (let i = 0; i < 120; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) return;
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('the server did not start');
  });
  test.afterAll(() => {
    server?.kill();
  });
  return { base, dir };
}

/** Waits until the WASM app has taken over the server-rendered page (it marks the body). */
export async function hydrated(page: Page) {
  await page.locator('body[data-hydrated=true]').waitFor();
}

/** Signs in through the login form and waits for the profile menu. */
export async function signIn(page: Page, login: string, password: string) {
  await page.goto('/login');
  await hydrated(page);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', password);
  await page.click('#login-form button[type=submit]');
  await expect(page.locator('#profile-menu')).toBeVisible();
}
