import { Page } from '@playwright/test';
import { test, expect, ownServer, hydrated } from './support';

// Every page, as the people who use it, checked by axe-core against the WCAG 2 A and AA rules, on
// the demo data set (port 3105). A violation names its rule and the elements that break it.
const { base: BASE } = ownServer('a11y', 3105, { demo: true });
const PASSWORD = 'vendita-demo';

// axe is injected as a script: the pages' Content-Security-Policy would refuse it.
test.use({ baseURL: BASE, bypassCSP: true });

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const axe = (window as any).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v: any) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')).join(' | ')}`);
  });
}

async function check(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
  await expect(page.locator('main')).toBeVisible();
  // Let the page's data arrive before judging it.
  await page.waitForLoadState('networkidle');
  expect.soft(await violations(page), url).toEqual([]);
}

test('every page passes axe-core (WCAG 2 A and AA)', async ({ page }) => {
  test.setTimeout(180_000);
  await check(page, '/login');
  await page.fill('input[name=login]', 'giulia');
  await page.fill('input[name=password]', PASSWORD);
  await page.click('#login-form button[type=submit]');
  await expect(page.locator('#profile-menu')).toBeVisible();
  for (const url of [
    '/',
    '/sales',
    '/sales/board',
    '/contacts',
    '/contacts/tags',
    '/import',
    '/contacts/new',
    '/contacts/438',
    '/contacts/438/vendita',
    '/reports/mine',
    '/reports/sellers',
    '/reports/forecast',
    '/config/crm',
    '/config/crm/tag',
    '/config/crm/sellers',
    '/config/crm/categories',
    '/config/crm/products',
    '/config/crm/lost-reasons',
    '/config/crm/stages',
    '/config/crm/company',
    '/offers',
    '/offers/1',
    '/offers/5',
    '/offers/7',
    '/profile/password',
  ]) {
    await check(page, url);
  }
});

test('the administrator pages pass axe-core too', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  await page.fill('input[name=login]', 'admin');
  await page.fill('input[name=password]', PASSWORD);
  await page.click('#login-form button[type=submit]');
  await expect(page.locator('#profile-menu')).toBeVisible();
  await check(page, '/users');
});
