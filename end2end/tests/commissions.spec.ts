import { Page } from '@playwright/test';
import { test, expect, ownServer, hydrated, signIn } from './support';
import * as path from 'path';

// Commissions on the demo data set (port 3109): a manager makes the external agency earn on
// collection at 8 %, 5 % on one category; a sale of that category is won last month and half
// collected (entered on the sale's collections page); the agency's statement for last month shows
// half the 5 % commission; she settles it; the sale moves to another seller; the next statement
// takes it back (storno) naming the settled statement, whose PDF is the same file as before.
const { base: BASE, dir } = ownServer('commissions', 3109, { demo: true });
const PASSWORD = 'vendita-demo';

test.use({ baseURL: BASE });

/** "€ 1.234,56" → 123456 (cents). */
function cents(text: string): number {
  return Number(text.replace(/[^0-9,-]/g, '').replace(',', ''));
}

/** a × b / c rounded half away from zero, as the server rounds. */
function share(a: number, b: number, c: number): number {
  const n = a * b;
  return Math.sign(n) * Math.round(Math.abs(n) / c);
}

/** A server function called with the page's session (the setup the journey does not test). */
async function call(page: Page, fn: string, form: Record<string, string>): Promise<any> {
  const res = await page.request.post(`/api/${fn}`, { form, headers: { origin: BASE } });
  expect(res.status(), `${fn}: ${await res.text()}`).toBe(200);
  return JSON.parse(await res.text());
}

function monthCode(d: Date): string {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

test('an agent earns half on a half-collected sale, the statement is settled, and a later change becomes an adjustment', async ({ page }) => {
  await signIn(page, 'giulia', PASSWORD);
  const now = new Date();
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const period = monthCode(lastMonth);
  const thisMonth = monthCode(now);
  const [y, m] = period.split('-');
  const firstOfLastMonth = `01/${m}/${y}`;
  const tenthOfLastMonth = `${y}-${m}-10`;

  // The agency, a product with a category, a customer.
  const sellers: any[] = await call(page, 'config_sellers', {});
  const agency = sellers.find((s) => s.name === 'Agenzia Esterna');
  const products: any[] = await call(page, 'config_products', {});
  const product = products.find((p) => p.category !== null && p.active);
  const contacts = await call(page, 'contacts_list', { search: 'S.r.l.' });
  const customer = contacts.rows.find((c: any) => c.tags.includes('Clienti'));

  // The rules, in the configuration: on collection, 8 %, 5 % on the product's category.
  await page.goto('/config/crm/commissions');
  await hydrated(page);
  const plan = page.locator('#plans tr[data-seller="Agenzia Esterna"]');
  await plan.locator('select[name=earn_on]').selectOption('collection');
  await plan.locator('button[type=submit]').click();
  await expect(page.locator('.notice.ok')).toBeVisible();
  await expect(plan.locator('select[name=earn_on]')).toHaveValue('collection');
  const form = page.locator('#new-rule-form');
  for (const [category, value] of [['', '8'], [String(product.category), '5']]) {
    await form.locator('select[name=seller]').selectOption(String(agency.id));
    await form.locator('select[name=category]').selectOption(category);
    await form.locator('select[name=kind]').selectOption('rate');
    await form.locator('input[name=value]').fill(value);
    await form.locator('input[name=valid_from]').fill(firstOfLastMonth);
    const before = await page.locator('#rules tbody tr').count();
    await page.click('#add-rule');
    await expect(page.locator('#rules tbody tr')).toHaveCount(before + 1);
  }
  await expect(page.locator('#rules')).toContainText('Categoria');
  await page.screenshot({ path: path.join(dir, 'rules.png'), fullPage: true });

  // A sale won on the 10th of last month.
  const sale = await call(page, 'sales_create', {
    contact: String(customer.id),
    product: String(product.id),
    seller: String(agency.id),
    quantity: '10',
    unit_price: '123,45',
    vat_rate: '22',
    stage: 'won',
    sale_date: tenthOfLastMonth,
    closed_date: tenthOfLastMonth,
  });

  // Half collected, on its collections page (reached from the sales list).
  await page.goto(`/sales?q=${encodeURIComponent(customer.name)}&product=${product.id}&seller=${agency.id}&stage=won`);
  await hydrated(page);
  await page.locator(`#sales-list-table tr[data-sale-id="${sale.id}"] a.collections`).click();
  await expect(page).toHaveURL(new RegExp(`/sales/${sale.id}/collections$`));
  await hydrated(page);
  await expect(page.locator('#collections-head')).toContainText(customer.name);
  const half = Math.floor(sale.gross / 2);
  const halfText = `${Math.floor(half / 100)},${String(half % 100).padStart(2, '0')}`;
  await page.locator('#new-collection-form input[name=on]').fill(`15/${m}/${y}`);
  await page.locator('#new-collection-form input[name=amount]').fill(halfText);
  await page.click('#add-collection');
  await expect(page.locator('#collections-table tbody tr')).toHaveCount(1);
  expect(cents(await page.locator('#collected').innerText())).toBe(half);
  // More than is left is refused, with the field marked.
  await page.locator('#new-collection-form input[name=amount]').fill('999999');
  await page.click('#add-collection');
  await expect(page.locator('#new-collection-form .field-error')).toBeVisible();
  await expect(page.locator('#collections-table tbody tr')).toHaveCount(1);

  // The statement: half of 5 % of the net, under the category's rule.
  await page.goto(`/commissions?period=${period}`);
  await hydrated(page);
  await page.locator('#commissions-table tr[data-seller="Agenzia Esterna"] a').click();
  await expect(page).toHaveURL(new RegExp(`/commissions/${agency.id}\\?period=${period}`));
  await hydrated(page);
  const line = page.locator(`#statement-lines tr[data-sale="${sale.id}"]`);
  await expect(line).toHaveCount(1);
  const whole = share(sale.net, 500, 10_000);
  const expected = share(whole, half, sale.gross);
  expect(cents(await line.locator('td').last().innerText())).toBe(expected);
  await expect(line).toContainText('Categoria · 5%');
  await page.screenshot({ path: path.join(dir, 'statement.png'), fullPage: true });

  // Settled: listed, frozen, downloadable.
  await page.click('#settle');
  await expect(page.locator('#settled-list li').first()).toContainText('n. 2');
  await page.locator('#settled-list li a').first().click();
  await expect(page).toHaveURL(/\/commissions\/statements\/\d+$/);
  await hydrated(page);
  await expect(page.locator('#settled-note')).toContainText('Giulia');
  const settledLine = page.locator(`#statement-lines tr[data-sale="${sale.id}"] td`).last();
  expect(cents(await settledLine.innerText())).toBe(expected);
  const pdfHref = (await page.locator('#statement-pdf').getAttribute('href'))!;
  const before = await (await page.request.get(pdfHref)).body();
  expect(before.subarray(0, 4).toString()).toBe('%PDF');

  // The sale moves to another seller: this month's statement takes back what last month's paid,
  // naming n. 2.
  const other = sellers.find((s) => s.name === 'Luca Marino');
  // (Recording the collection moved the sale's version.)
  const current = await call(page, 'sales_get', { id: String(sale.id) });
  await call(page, 'sales_update', {
    id: String(sale.id),
    version: String(current.version),
    contact: String(customer.id),
    product: String(product.id),
    seller: String(other.id),
    quantity: '10',
    unit_price: '123,45',
    vat_rate: '22',
    stage: 'won',
    sale_date: tenthOfLastMonth,
    closed_date: tenthOfLastMonth,
  });
  await page.goto(`/commissions/${agency.id}?period=${thisMonth}`);
  await hydrated(page);
  const adjustment = page.locator(`#statement-lines tr.adjustment[data-sale="${sale.id}"]`);
  await expect(adjustment).toContainText('n. 2');
  expect(cents(await adjustment.locator('td').last().innerText())).toBe(-expected);
  await expect(adjustment).toContainText('Storno');
  await page.screenshot({ path: path.join(dir, 'adjustment.png'), fullPage: true });
  const after = await (await page.request.get(pdfHref)).body();
  expect(after.equals(before), 'the settled PDF is the same file').toBe(true);

  // At phone width the statement stays within the screen.
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`/commissions/${agency.id}?period=${period}`);
  await hydrated(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(dir, 'statement-phone.png'), fullPage: true });
});

test('a member reads his own statements only and settles nothing', async ({ page }) => {
  await signIn(page, 'marco', PASSWORD);
  await page.goto('/commissions');
  await hydrated(page);
  const rows = page.locator('#commissions-table tbody tr');
  await expect(rows).not.toHaveCount(0);
  await expect(page.locator('#commissions-table tr[data-seller="Agenzia Esterna"]')).toHaveCount(0);
  await rows.first().locator('a').click();
  await hydrated(page);
  await expect(page.locator('#statement-lines')).toBeVisible();
  await expect(page.locator('#settle')).toHaveCount(0);
  const sellers: any[] = await call(page, 'config_sellers', {});
  const agency = sellers.find((s) => s.name === 'Agenzia Esterna');
  const refused = await page.goto(`/commissions/${agency.id}`);
  expect(refused!.status()).toBe(403);
});
