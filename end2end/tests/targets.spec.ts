import { Page } from '@playwright/test';
import { test, expect, ownServer, signIn as signInWith } from './support';

// Targets and forecast accuracy on the demo data set (targets for last year and this year, 24
// months of frozen forecasts), served on port 3107 with a database of this file's own.
const { base: BASE } = ownServer('targets', 3107, { demo: true });
const PASSWORD = 'vendita-demo';

test.use({ baseURL: BASE });

const signIn = (page: Page, login: string) => signInWith(page, login, PASSWORD);

/** "1.234,50" → cents. */
function cents(text: string): number {
  return Math.round(parseFloat(text.replace(/\./g, '').replace(',', '.')) * 100);
}

function italian(c: number): string {
  const units = Math.floor(c / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${units},${(c % 100).toString().padStart(2, '0')}`;
}

const now = new Date();
const YEAR = now.getFullYear();
const MONTH = `${YEAR}-${String(now.getMonth() + 1).padStart(2, '0')}`;

test('a manager copies last year +5 %, sets this month, and home and the forecast page show it', async ({ page }) => {
  await signIn(page, 'giulia');
  await page.goto('/reports/targets');
  await page.locator('body[data-hydrated=true]').waitFor();
  await expect(page.locator('#targets-year')).toHaveText(String(YEAR));
  const marco = page.locator('#targets-grid tr[data-seller="Marco Galli"]');
  const january = cents(await marco.locator(`input[data-month="${YEAR}-01"]`).inputValue());
  expect(january).toBeGreaterThan(0);

  // Next year is empty; copying this year +5 % fills it, each month rounded to the cent.
  await page.click('#targets-next');
  await expect(page.locator('#targets-year')).toHaveText(String(YEAR + 1));
  const nextJanuary = marco.locator(`input[data-month="${YEAR + 1}-01"]`);
  await expect(nextJanuary).toHaveValue('');
  await page.fill('#targets-copy input[name=uplift]', '5');
  await page.click('#targets-copy button[type=submit]');
  await expect(nextJanuary).toHaveValue(italian(Math.round(january * 1.05)).replace(/\./g, ''));

  // This month's target for Marco, typed in the grid and saved on leaving the field.
  await page.click('#targets-prev');
  await expect(page.locator('#targets-year')).toHaveText(String(YEAR));
  const cell = marco.locator(`input[data-month="${MONTH}"]`);
  const saved = page.waitForResponse((r) => r.url().includes('/api/targets_set') && r.status() === 200);
  await cell.fill('1000');
  await cell.press('Tab');
  await saved;

  // Home: Marco's row of the attainment table has this month's target.
  await page.goto('/');
  await page.locator('body[data-hydrated=true]').waitFor();
  const row = page.locator('#attainment tr[data-seller="Marco Galli"]');
  await expect(row.locator('td').first()).toContainText('/ 1.000,00');
  await expect(row.locator('td').first().locator('.att-bar')).toBeVisible();

  // The Forecast page: past months with the forecast frozen at their start.
  await page.goto('/reports/forecast');
  await page.locator('body[data-hydrated=true]').waitFor();
  const months = page.locator('#accuracy-months tbody tr');
  await expect(months.first()).toBeVisible();
  expect(await months.count()).toBeGreaterThanOrEqual(5);
  const frozen = await page.locator('#accuracy-months tbody td.frozen').allTextContents();
  expect(frozen.filter((t) => t.startsWith('€')).length).toBeGreaterThanOrEqual(5);
  await expect(page.locator('#accuracy-sellers tr[data-seller="Marco Galli"]')).toBeVisible();
});

test('a member reads only his own targets and cannot change them', async ({ page }) => {
  await signIn(page, 'marco');
  await page.goto('/reports/targets');
  await page.locator('body[data-hydrated=true]').waitFor();
  await expect(page.locator('#targets-grid tr[data-seller="Marco Galli"]')).toBeVisible();
  await expect(page.locator('#targets-grid tr[data-seller="Sara Conti"]')).toHaveCount(0);
  await expect(page.locator('#targets-grid input')).toHaveCount(0);
  await expect(page.locator('#targets-copy')).toHaveCount(0);
  // Asking the server anyway is refused.
  const res = await page.request.post('/api/targets_set', { form: { seller: '1', month: MONTH, category: '', amount: '1' } });
  expect(res.status()).toBe(403);
});
