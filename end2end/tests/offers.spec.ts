import { Page } from '@playwright/test';
import { test, expect, ownServer, hydrated, signIn } from './support';
import * as path from 'path';

// Offers on the demo data set (port 3108): a manager writes a three-line offer with a section and
// a cascade discount on a customer's Vendita tab, with online acceptance, saves it, marks it sent
// (numbered), opens its PDF; the customer opens the link in a browser of his own (no account) and
// accepts with his name; the offer's product lines are then won sales on the board, the answer is
// on the manager's home page, and this month's won figure on My sales grows by exactly their
// amount. At phone width the offer's page and the customer's page stay within the screen.
const { base: BASE, dir } = ownServer('offers', 3108, { demo: true });
const PASSWORD = 'vendita-demo';

test.use({ baseURL: BASE });

/** "€ 1.234,56" → 123456 (cents). */
function cents(text: string): number {
  return Number(text.replace(/[^0-9,-]/g, '').replace(',', ''));
}

async function wonThisMonth(page: Page): Promise<number> {
  await page.goto('/reports/mine?period=month');
  await hydrated(page);
  await expect(page.locator('#fig-won .figure-value')).toBeVisible();
  return cents(await page.locator('#fig-won .figure-value').innerText());
}

test('a manager writes an offer with a section and a cascade discount, sends it, and the customer accepts it online', async ({ page, browser }) => {
  await signIn(page, 'giulia', PASSWORD);
  const before = await wonThisMonth(page);

  // A customer's Vendita tab, from one of the deals on her home page.
  await page.goto('/');
  await hydrated(page);
  await page.locator('#home .desk-list li a').first().click();
  await expect(page).toHaveURL(/\/contacts\/\d+\/vendita/);
  await hydrated(page);
  await expect(page.locator('#offers')).toBeVisible();
  await page.click('#new-offer');
  await expect(page).toHaveURL(/\/contacts\/\d+\/offers\/new$/);
  await hydrated(page);

  // A section, two products (the first at 3 units less 10+5 %), a free line.
  await page.click('#add-section');
  await page.locator('.offer-line').nth(0).locator('input[name=description]').fill('Fornitura');
  for (const [i, pick] of [[1, 1], [2, 2]]) {
    await page.click('#add-product');
    const select = page.locator('.offer-line').nth(i).locator('select[name=product]');
    await expect(select.locator('option')).not.toHaveCount(1);
    await select.selectOption({ index: pick });
    await expect(page.locator('.offer-line').nth(i).locator('input[name=unit_price]')).not.toHaveValue('');
  }
  await page.locator('.offer-line').nth(1).locator('input[name=quantity]').fill('3');
  await page.locator('.offer-line').nth(1).locator('input[name=discount]').fill('10+5');
  await page.click('#add-text');
  const free = page.locator('.offer-line').nth(3);
  await free.locator('input[name=description]').fill('Installazione e collaudo');
  await free.locator('input[name=unit_price]').fill('120');
  // The last line moves up above the second product, from the keyboard.
  await free.locator('button[aria-label="Sposta su"]').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.offer-line').nth(2).locator('input[name=description]')).toHaveValue('Installazione e collaudo');
  await expect(page.locator('#offer-total')).toBeVisible();
  await page.locator('#offer-online input[type=checkbox]').check();
  const shownTotal = await page.locator('#offer-total').innerText();
  await page.screenshot({ path: path.join(dir, 'offer-editor.png'), fullPage: true });

  await page.click('#save-offer');
  await expect(page).toHaveURL(/\/offers\/\d+$/);
  const offerUrl = page.url();
  await hydrated(page);
  await expect(page.locator('#offer-state')).toHaveText('Bozza');
  // The server computed the same total the page showed while typing.
  await expect(page.locator('#offer-total')).toHaveText(shownTotal);
  const productNets = await page.locator('.offer-line[data-kind=product] [data-net]').allInnerTexts();
  expect(productNets).toHaveLength(2);
  const wonByOffer = productNets.map(cents).reduce((a, b) => a + b, 0);

  await page.click('#send-offer');
  await expect(page.locator('#offer-state')).toHaveText('Inviata');
  await expect(page.locator('#offer-number')).toHaveText(new RegExp(`Offerta ${new Date().getFullYear()}/\\d{4}$`));
  const pdf = await page.request.get(await page.locator('#offer-pdf').getAttribute('href') ?? '');
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await page.screenshot({ path: path.join(dir, 'offer-sent.png'), fullPage: true });

  const number = (await page.locator('#offer-number').innerText()).replace('Offerta ', '');
  const saleIds = await page.locator('#offer-lines tr[data-sale-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-sale-id')));
  expect(saleIds).toHaveLength(2);
  const link = new URL((await page.locator('#offer-link-href').getAttribute('href')) ?? '', BASE).toString();
  expect(link).toMatch(/\/o\/[0-9a-f]{64}$/);

  // The customer, in a browser of his own with no account, reads the offer and accepts it.
  const customer = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const theirs = await customer.newPage();
  await theirs.goto(link);
  await expect(theirs.locator('h1')).toHaveText(`Offerta n. ${number}`);
  await expect(theirs.locator('#offer-total')).toHaveText(shownTotal);
  await expect(theirs.locator('nav')).toHaveCount(0);
  const theirPdf = await theirs.request.get(new URL((await theirs.locator('#link-pdf').getAttribute('href')) ?? '', BASE).toString());
  expect(theirPdf.headers()['content-type']).toBe('application/pdf');
  await theirs.screenshot({ path: path.join(dir, 'offer-link-phone.png'), fullPage: true });
  expect(await theirs.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await theirs.fill('input[name=name]', 'Mario Rossi');
  await theirs.click('#link-accept-button');
  await expect(theirs.locator('#link-accepted')).toContainText('Mario Rossi');
  // The link dies with the answer.
  await theirs.goto(link);
  await expect(theirs.locator('#link-closed')).toBeVisible();
  await customer.close();

  // The seller sees it at once: on the offer, on the home page, on the board.
  await page.reload();
  await hydrated(page);
  await expect(page.locator('#offer-state')).toHaveText('Accettata');
  await expect(page.locator('#offer-signed')).toContainText('Mario Rossi');
  await page.goto('/');
  await hydrated(page);
  await expect(page.locator('#home-offers li').filter({ hasText: number })).toContainText('Mario Rossi');
  const customerName = (await page.locator('#home-offers li').filter({ hasText: number }).locator('.muted').first().innerText()).replace(' · ', '');
  await page.goto(`/sales/board?q=${encodeURIComponent(customerName)}`);
  await hydrated(page);
  for (const id of saleIds) {
    await expect(page.locator(`[data-stage=won] .board-card[data-sale-id="${id}"]`)).toHaveCount(1);
  }
  expect(await wonThisMonth(page)).toBe(before + wonByOffer);

  // The offers list, filtered to the accepted ones from its URL, holds it.
  await page.goto('/offers?state=accepted');
  await hydrated(page);
  await expect(page.locator('#offers-list-table tbody tr').filter({ hasText: number })).toHaveCount(1);
  await expect(page.locator('#offers-filters select[name=state]')).toHaveValue('accepted');
  await page.screenshot({ path: path.join(dir, 'offers-list.png'), fullPage: true });

  // At phone width the offer's page stays within the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(offerUrl);
  await hydrated(page);
  await expect(page.locator('#offer-state')).toHaveText('Accettata');
  await page.screenshot({ path: path.join(dir, 'offer-phone.png'), fullPage: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
});
