import { Page } from '@playwright/test';
import { test, expect, ownServer, hydrated } from './support';
import * as path from 'path';

// The day's work on the demo data set, served on port 3104 with its own database: a member's home
// shows his overdue deals; he opens one, then on the board drags it to won with last month's close
// date, and last month's won on My sales grows by exactly its amount; on the sales list he loses
// another in place. Then
// every page at phone width (390 × 844) stays within the screen.
const { base: BASE, dir } = ownServer('desk', 3104, { demo: true });
const PASSWORD = 'vendita-demo';

test.use({ baseURL: BASE });

async function signIn(page: Page, login: string) {
  await page.goto('/login');
  await hydrated(page);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('#login-form button[type=submit]');
  await expect(page.locator('#profile-menu')).toBeVisible();
}

/** "€ 1.234,56" → 123456 (cents). */
function cents(text: string): number {
  const digits = text.replace(/[^0-9,-]/g, '').replace(',', '');
  return Number(digits);
}

/** Last month's last day as an Italian reader types it (dd/mm/yyyy), and its month as "YYYY-MM". */
function lastMonth(): { day: string; month: string } {
  const now = new Date();
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  const iso = last.toISOString().slice(0, 10);
  return { day: `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`, month: iso.slice(0, 7) };
}

/** My sales, last month only: the won figure in cents. */
async function wonLastMonth(page: Page): Promise<number> {
  await page.goto('/reports/mine');
  await hydrated(page);
  await expect(page.locator('#fig-won .figure-value')).toBeVisible();
  await page.selectOption('#filter-period', 'range');
  const { month } = lastMonth();
  for (const id of ['#filter-from', '#filter-to']) {
    await page.locator(id).fill(month);
    await page.locator(id).dispatchEvent('change');
  }
  await expect(page.locator('#filter-from')).toHaveValue(month);
  await expect(page.locator('#filter-to')).toHaveValue(month);
  return cents(await page.locator('#fig-won .figure-value').innerText());
}

test('a member opens an overdue deal from his home, wins it last month on the board, and loses another from the list', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'marco');
  const before = await wonLastMonth(page);

  await page.goto('/');
  await hydrated(page);
  const overdue = page.locator('#home-overdue li');
  await expect(overdue.first()).toBeVisible();
  const count = Number(await page.locator('#home-overdue-count strong').innerText());
  expect(count).toBeGreaterThan(0);
  // Only his own sellers' deals (Marco Galli, Team Nord).
  for (const seller of await page.locator('#home .desk-list li .small').allInnerTexts()) {
    expect(seller).toMatch(/Marco Galli|Team Nord/);
  }
  await page.screenshot({ path: path.join(dir, 'home-member.png'), fullPage: true });
  const deal = overdue.first();
  const id = await deal.getAttribute('data-sale-id');
  const net = cents(await deal.locator('strong').innerText());
  await deal.locator('a').click();
  await expect(page).toHaveURL(new RegExp(`/vendita\\?sale=${id}$`));
  await hydrated(page);
  await expect(page.locator('#sale-form-title')).toHaveText('Modifica vendita');
  // Dates read as an Italian writes them, whatever the browser's locale.
  await expect(page.locator('#sale-form input[name=sale_date]')).toHaveValue(/^\d{2}\/\d{2}\/\d{4}$/);

  // On the board (overdue only), he drags the card to won and closes it on last month's last day.
  await page.goto('/sales/board?overdue=1');
  await hydrated(page);
  const card = page.locator(`#board .board-card[data-sale-id="${id}"]`);
  await expect(card).toBeVisible();
  await page.screenshot({ path: path.join(dir, 'board.png'), fullPage: true });
  // Dropped on the column's heading, which is in view: nothing scrolls while the button is down.
  await card.dragTo(page.locator('#board .board-column[data-stage="won"]'), { targetPosition: { x: 40, y: 20 } });
  const closed = page.locator('#pending-move input[name=move_closed_date]');
  await expect(closed).toBeVisible();
  await closed.fill(lastMonth().day);
  await page.click('#pending-move .confirm-move');
  // Closed last month: it leaves the board (won shows this month's) and the overdue count.
  await expect(card).toHaveCount(0);
  // The same move from the keyboard: another overdue card to negotiation from its menu.
  const other = page.locator('#board .board-column[data-stage="lead"] .board-card').first();
  const otherId = await other.getAttribute('data-sale-id');
  await other.locator('select.card-move').focus();
  await other.locator('select.card-move').selectOption('negotiation');
  await expect(page.locator(`#board .board-column[data-stage="negotiation"] .board-card[data-sale-id="${otherId}"]`)).toBeVisible();

  const after = await wonLastMonth(page);
  expect(after - before).toBe(net);
  // The report's filters are in its URL: a reload shows the same figures.
  const { month } = lastMonth();
  await expect(page).toHaveURL(new RegExp(`period=range&from=${month}&to=${month}`));
  await page.reload();
  await hydrated(page);
  await expect(page.locator('#filter-period')).toHaveValue('range');
  expect(cents(await page.locator('#fig-won .figure-value').innerText())).toBe(after);

  // This month's sales lost for their price, from My sales grouped by lost reason.
  async function lostForPrice(): Promise<number> {
    await page.goto('/reports/mine?period=month&group=reason');
    await hydrated(page);
    await expect(page.locator('#report-table thead th').nth(1)).toHaveText('Vendite perse');
    const row = page.locator('#report-table tbody tr:not(.total)').filter({ has: page.locator('th', { hasText: /^Prezzo$/ }) });
    return (await row.count()) === 0 ? 0 : Number(await row.locator('td').first().innerText());
  }
  const lostBefore = await lostForPrice();

  // On the sales list, overdue only: lose the first one in place, with a reason from the list.
  await page.goto('/sales?overdue=1&sort=close');
  await hydrated(page);
  const total = Number(await page.locator('#list-count strong').innerText());
  expect(total).toBe(count - 1);
  const row = page.locator('#sales-list-table tbody tr').first();
  const lostId = await row.getAttribute('data-sale-id');
  await row.locator('select.stage-select').selectOption('lost');
  await row.locator('select[name=move_lost_reason]').selectOption({ label: 'Prezzo' });
  await row.locator('input[name=move_lost_note]').fill('Il concorrente costa il 10% in meno');
  await row.locator('.confirm-move').click();
  await expect(page.locator('#list-count strong')).toHaveText(String(total - 1));
  await expect(page.locator(`#sales-list-table tr[data-sale-id="${lostId}"]`)).toHaveCount(0);
  // The filters stay in the URL: a reload shows the same list.
  await page.reload();
  await hydrated(page);
  await expect(page.locator('#list-count strong')).toHaveText(String(total - 1));
  await expect(page.locator('#sales-filters input[name=overdue]')).toBeChecked();
  await page.screenshot({ path: path.join(dir, 'sales-list.png'), fullPage: true });
  // The report counts it under its reason, in the month it closed (today).
  expect(await lostForPrice()).toBe(lostBefore + 1);
  await page.screenshot({ path: path.join(dir, 'lost-reasons-report.png'), fullPage: true });
  expect(errors).toEqual([]);
});

test('at phone width every working page fits the screen and the menu opens', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'giulia');
  const contact = '/contacts/438';
  for (const [name, url] of [
    ['home', '/'],
    ['contacts', '/contacts'],
    ['card', contact],
    ['vendita', `${contact}/vendita`],
    ['sales', '/sales'],
    ['board', '/sales/board'],
    ['my-sales', '/reports/mine'],
  ]) {
    await page.goto(url);
    await hydrated(page);
    await expect(page.locator('main')).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${name} is ${width}px wide`).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(dir, `phone-${name}.png`), fullPage: true });
  }
  await expect(page.locator('#main-nav')).toBeHidden();
  await page.click('#nav-toggle');
  await expect(page.locator('#main-nav')).toBeVisible();
  await page.locator('#main-nav a[href="/sales"]').click();
  await expect(page).toHaveURL(/\/sales$/);
  await expect(page.locator('#main-nav')).toBeHidden();
});

test('a manager merges two tags from the address book; a member may not open the tags page', async ({ page, browser }) => {
  await signIn(page, 'giulia');
  await page.goto('/contacts');
  await hydrated(page);
  await page.click('#manage-tags');
  await expect(page).toHaveURL(/\/contacts\/tags$/);
  await hydrated(page);
  const count = async (tag: string) => Number(await page.locator(`#tags-table tr[data-tag="${tag}"] td.num`).innerText());
  const [vip, newsletter] = [await count('VIP'), await count('Newsletter')];
  expect(newsletter).toBeGreaterThan(0);
  // The system tags are listed but offer nothing to do.
  await expect(page.locator('#tags-table tr[data-tag="Clienti"] form')).toHaveCount(0);
  const row = page.locator('#tags-table tr[data-tag="Newsletter"]');
  await row.locator('.merge-tag select[name=into]').selectOption({ label: 'VIP' });
  await row.locator('.merge-tag button[type=submit]').click();
  await expect(page.locator('#tags-table tr[data-tag="Newsletter"]')).toHaveCount(0);
  const merged = await count('VIP');
  expect(merged).toBeGreaterThanOrEqual(Math.max(vip, newsletter));
  expect(merged).toBeLessThanOrEqual(vip + newsletter);
  await page.screenshot({ path: path.join(dir, 'tags.png'), fullPage: true });

  const member = await (await browser.newContext({ baseURL: BASE })).newPage();
  await signIn(member, 'marco');
  await member.goto('/contacts');
  await hydrated(member);
  await expect(member.locator('#new-contact')).toBeVisible();
  await expect(member.locator('#manage-tags')).toHaveCount(0);
  const res = await member.goto('/contacts/tags');
  expect(res?.status()).toBe(403);
  await expect(member.locator('main .notice.error')).toBeVisible();
});
