import { Page, Browser } from '@playwright/test';
import { test, expect, ownServer, hydrated } from './support';

// The Vendita journey: a contact tagged Clienti gets the Vendita tab; a sale is registered, moved to
// won, its history shows the change, and a second browser saving an old version gets the conflict.
const ADMIN = { login: 'anna', name: 'Anna Bianchi', password: 'anna-password-1' };

// Its own server on a fresh database (port 3102), so the journey starts from a fresh install.
const BASE = ownServer('sales', 3102).base;

test.use({ baseURL: BASE });

async function signIn(page: Page) {
  await page.goto('/login');
  await hydrated(page);
  await page.fill('input[name=login]', ADMIN.login);
  await page.fill('input[name=password]', ADMIN.password);
  await page.click('#login-form button[type=submit]');
  await expect(page.locator('#profile-menu')).toBeVisible();
}

async function api(page: Page, fn: string, form: Record<string, string>) {
  const res = await page.request.post(`/api/${fn}`, { form });
  expect(res.status(), `${fn}: ${await res.text()}`).toBe(200);
  return res.json();
}

async function openSecondBrowser(browser: Browser, url: string) {
  const context = await browser.newContext({ baseURL: BASE });
  const page = await context.newPage();
  await signIn(page);
  await page.goto(url);
  await hydrated(page);
  return page;
}

test('tag a customer, register a sale, win it, read the history, meet a conflict', async ({ page, browser }) => {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  // A fresh install: the administrator, then the CRM essentials (the configuration pages are issue 3).
  await page.goto('/setup');
  await hydrated(page);
  await page.fill('input[name=login]', ADMIN.login);
  await page.fill('input[name=display_name]', ADMIN.name);
  await page.fill('input[name=password]', ADMIN.password);
  await page.fill('input[name=password_repeat]', ADMIN.password);
  await page.click('#first-run-form button[type=submit]');
  await expect(page.locator('h1')).toContainText(`Benvenuto, ${ADMIN.name}`);
  const overview = await api(page, 'config_overview', {});
  await api(page, 'config_set_sales_tag', { version: String(overview.settings.version), tag: 'customers' });
  const candidates = await api(page, 'config_seller_candidates', {});
  await api(page, 'config_create_seller', { kind: 'user', user: String(candidates[0].user.id) });
  await api(page, 'config_create_product', { code: 'CONS', name: 'Consulenza', unit: 'h', list_price: '80', vat_rate: '22' });

  // The address book, from the top bar.
  await page.click('.main-nav >> text=Rubrica');
  await expect(page).toHaveURL(/\/contacts$/);
  await hydrated(page);
  await page.click('#new-contact');
  await expect(page).toHaveURL(/\/contacts\/new$/);
  const form = page.locator('#contact-form');
  await form.locator('input[name=name]').fill('Rossi Srl');
  await form.locator('input[name=vat_number]').fill('01114601007');
  await form.locator('button[type=submit]').click();
  await expect(form.locator('.field-error')).toContainText('non è una partita IVA italiana valida');
  await form.locator('input[name=vat_number]').fill('01114601006');
  await form.locator('input[name=city]').fill('Milano');
  await form.locator('button[type=submit]').click();
  await expect(page).toHaveURL(/\/contacts\/\d+$/);
  await expect(page.locator('#contact-name')).toHaveText('Rossi Srl');
  await expect(page.locator('#tab-sales')).toHaveCount(0);

  // Tagging it Clienti brings the Vendita tab.
  await page.locator('#contact-form input[data-tag=Clienti]').check();
  await page.locator('#contact-form button[type=submit]').click();
  await expect(page.locator('#tab-sales')).toBeVisible();
  await page.screenshot({ path: 'test-results/contact-card-it.png', fullPage: true });
  await page.click('#tab-sales');
  await expect(page).toHaveURL(/\/contacts\/\d+\/vendita$/);
  const saleUrl = page.url();

  // Register a sale: the price comes from the product, totals show as you type.
  const sale = page.locator('#sale-form');
  // The page carries no product list: the picker reads it when the form is first used.
  await expect(sale.locator('select[name=product] option')).toHaveCount(1);
  await sale.locator('input[name=product_search]').click();
  await sale.locator('select[name=product]').selectOption({ label: 'CONS — Consulenza (h)' });
  await expect(sale.locator('input[name=unit_price]')).toHaveValue('80,00');
  await sale.locator('input[name=quantity]').fill('3');
  await sale.locator('input[name=discount]').fill('10');
  await expect(page.locator('#live-net')).toHaveText('€ 216,00');
  await expect(page.locator('#live-gross')).toHaveText('€ 263,52');
  await page.click('#save-sale');
  const row = page.locator('#sales-table tbody tr').first();
  await expect(row).toContainText('Lead');
  await expect(row.locator('.net')).toHaveText('€ 216,00');
  await expect(page.locator('#total-open')).toContainText('€ 216,00');

  // Move it to won.
  await row.locator('.edit-sale').click();
  await expect(page.locator('#sale-form-title')).toHaveText('Modifica vendita');
  await sale.locator('select[name=stage]').selectOption('won');
  await expect(sale.locator('input[name=probability]')).toHaveValue('100');
  await page.click('#save-sale');
  await expect(row).toContainText('Vinta');
  await expect(page.locator('#total-won')).toContainText('€ 216,00');

  // The history shows the change.
  await row.locator('.history-sale').click();
  await expect(page.locator('#sale-history tr[data-field=stage]')).toContainText('Fase: Lead → Vinta');
  await expect(page.locator('#sale-history')).toContainText(ADMIN.name);
  await expect(page.locator('#sale-history tr[data-field=""]')).toContainText('· Lead ·'); // the stage's name, not its code
  await page.screenshot({ path: 'test-results/sales-tab-it.png', fullPage: true });

  // Two browsers edit the same sale; the second save is refused with the current values.
  const other = await openSecondBrowser(browser, saleUrl);
  await other.locator('#sales-table tbody tr').first().locator('.edit-sale').click();
  await row.locator('.edit-sale').click();
  await sale.locator('input[name=quantity]').fill('4');
  await page.click('#save-sale');
  await expect(row).toContainText('4 h');
  await other.locator('#sale-form input[name=quantity]').fill('5');
  await other.click('#save-sale');
  await expect(other.locator('#sale-conflict')).toContainText('Qualcun altro ha modificato questa vendita');
  await expect(other.locator('#sale-conflict')).toContainText('Imponibile € 288,00');
  await expect(other.locator('#sales-table tbody tr').first()).toContainText('4 h');
  await other.screenshot({ path: 'test-results/sales-conflict-it.png', fullPage: true });

  // The address book finds it.
  await page.goto('/contacts?q=milano');
  await expect(page.locator('#contacts-table')).toContainText('Rossi Srl');
  await page.screenshot({ path: 'test-results/contacts-it.png', fullPage: true });

  expect(errors.filter((e) => !/status of (409|422)/.test(e))).toEqual([]);
});

test('a customer with sales keeps its tag, a member has no delete button, switching the sales tag asks first', async ({ page, browser }) => {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await signIn(page);
  const found = await api(page, 'contacts_list', { search: 'Rossi' });
  const rossi = found.rows[0].id;
  await api(page, 'users_create', { login: 'marco', display_name: 'Marco Rossi', password: 'marco-password-1', role: 'member' });

  // Taking Clienti off a customer with a sale: refused, saying how many sales it carries.
  await page.goto(`/contacts/${rossi}`);
  await hydrated(page);
  await page.locator('#contact-form input[data-tag=Clienti]').uncheck();
  await page.locator('#contact-form button[type=submit]').click();
  await expect(page.locator('#contact-form [role=alert]')).toContainText('Il contatto ha una vendita');
  await page.screenshot({ path: 'test-results/sales-tag-kept-it.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/sales-tag-kept-phone-it.png', fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.reload();
  await hydrated(page);
  await expect(page.locator('#tab-sales')).toBeVisible();
  await expect(page.locator('#delete-contact')).toBeVisible();

  // A member reads and edits the card but is offered no delete.
  const context = await browser.newContext({ baseURL: BASE });
  const marco = await context.newPage();
  await marco.goto('/login');
  await hydrated(marco);
  await marco.fill('input[name=login]', 'marco');
  await marco.fill('input[name=password]', 'marco-password-1');
  await marco.click('#login-form button[type=submit]');
  await expect(marco.locator('#profile-menu')).toBeVisible();
  await marco.goto(`/contacts/${rossi}`);
  await hydrated(marco);
  await expect(marco.locator('#contact-name')).toHaveText('Rossi Srl');
  await expect(marco.locator('#delete-contact')).toHaveCount(0);
  await context.close();

  // Switching the sales tag to Fornitori: told how many contacts with sales lose their tab, then
  // done once confirmed.
  await page.goto('/config/crm/tag');
  await hydrated(page);
  await page.check('#sales-tag-form input[value=suppliers]');
  await page.click('#sales-tag-form button[type=submit]');
  await expect(page.locator('#sales-tag-form [role=alert]')).toContainText('Un contatto con vendite perderebbe la scheda Vendita');
  await page.screenshot({ path: 'test-results/sales-tag-switch-it.png', fullPage: true });
  await page.check('#confirm-switch input');
  await page.click('#sales-tag-form button[type=submit]');
  await expect(page.locator('#sales-tag-form [role=status]')).toHaveText('Salvato.');
  await page.goto(`/contacts/${rossi}`);
  await expect(page.locator('#tab-sales')).toHaveCount(0);

  expect(errors.filter((e) => !/status of (409|422)/.test(e))).toEqual([]);
});
