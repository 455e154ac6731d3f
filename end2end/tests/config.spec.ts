import { Page } from '@playwright/test';
import { test, expect, ownServer, hydrated } from './support';

// The CRM configuration wizard on a fresh install of its own: this file starts its own server on
// port 3101 with an empty database, so it runs the same whatever the other spec files did before.
const BASE = ownServer('config', 3101).base;
const ADMIN = { login: 'anna', name: 'Anna Bianchi', password: 'anna-password-1' };
const MANAGER = { login: 'giulia', name: 'Giulia Ferri', password: 'giulia-password-1' };
const SARA = { login: 'sara', name: 'Sara Conti', password: 'sara-password-1' };
const LUCA = { login: 'luca', name: 'Luca Marino', password: 'luca-password-1' };
const MEMBER = { login: 'marco', name: 'Marco Rossi', password: 'marco-password-1' };

test.use({ baseURL: BASE });

async function signIn(page: Page, who: { login: string; password: string }) {
  await page.goto('/login');
  await hydrated(page);
  await page.fill('input[name=login]', who.login);
  await page.fill('input[name=password]', who.password);
  await page.click('#login-form button[type=submit]');
  await expect(page.locator('#profile-menu')).toBeVisible();
}

async function signOut(page: Page) {
  await page.click('#profile-menu');
  await page.click('#logout');
  await expect(page).toHaveURL(/\/login$/);
}

async function createUser(page: Page, who: { login: string; name: string; password: string }, role: string) {
  const form = page.locator('#new-user-form');
  await form.locator('input[name=login]').fill(who.login);
  await form.locator('input[name=display_name]').fill(who.name);
  await form.locator('input[name=password]').fill(who.password);
  await form.locator('select[name=role]').selectOption(role);
  await form.locator('button[type=submit]').click();
  await expect(page.locator(`#users-table tr[data-login=${who.login}]`)).toBeVisible();
}

async function next(page: Page, to: RegExp) {
  await page.click('#wizard-next');
  await expect(page).toHaveURL(to);
  await hydrated(page);
}

test('a manager walks the whole wizard on a fresh install; a member reads and changes nothing', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  // A fresh install: the first run creates the admin, who adds a manager and three members.
  await page.goto('/');
  await expect(page).toHaveURL(/\/setup$/);
  await hydrated(page);
  await page.fill('input[name=login]', ADMIN.login);
  await page.fill('input[name=display_name]', ADMIN.name);
  await page.fill('input[name=password]', ADMIN.password);
  await page.fill('input[name=password_repeat]', ADMIN.password);
  await page.click('#first-run-form button[type=submit]');
  await expect(page.locator('h1')).toContainText(ADMIN.name);
  await page.goto('/users');
  await hydrated(page);
  await createUser(page, MANAGER, 'manager');
  await createUser(page, SARA, 'member');
  await createUser(page, LUCA, 'member');
  await createUser(page, MEMBER, 'member');
  await signOut(page);

  // The manager opens Configurazione CRM: nothing done yet, step 1 is next.
  await signIn(page, MANAGER);
  await page.click('.main-nav a[href="/config/crm"]');
  await expect(page).toHaveURL(/\/config\/crm$/);
  await hydrated(page);
  await expect(page.locator('#config-progress')).toContainText('1/6');
  await expect(page.locator('#config-steps li.next')).toHaveAttribute('data-step', '1');
  await expect(page.locator('#config-read-only')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/config-overview-fresh.png', fullPage: true });
  await page.click('#config-steps li.next a.button');

  // 1. Sales tag.
  await expect(page).toHaveURL(/\/config\/crm\/tag$/);
  await hydrated(page);
  await page.check('#sales-tag-form input[value=customers]');
  await page.click('#sales-tag-form button[type=submit]');
  await expect(page.locator('#sales-tag-form [role=status]')).toHaveText('Salvato.');
  await expect(page.locator('#wizard-count')).toHaveText('2/6');
  await next(page, /\/config\/crm\/sellers$/);

  // 2. Sellers: the manager herself, and a team with two members.
  const userSeller = page.locator('#new-user-seller-form');
  await userSeller.locator('select[name=user]').selectOption({ label: `${MANAGER.name} (${MANAGER.login})` });
  await userSeller.locator('button[type=submit]').click();
  await expect(page.locator(`#sellers-table tr[data-name="${MANAGER.name}"]`)).toBeVisible();
  const team = page.locator('#new-generic-seller-form');
  await team.locator('input[name=name]').fill('Team Nord');
  await team.locator(`label.check:has-text("${SARA.name}") input`).check();
  await team.locator(`label.check:has-text("${LUCA.name}") input`).check();
  await team.locator('button[type=submit]').click();
  const teamRow = page.locator('#sellers-table tr[data-name="Team Nord"]');
  await expect(teamRow.locator('td.members')).toHaveText(`${LUCA.name}, ${SARA.name}`);
  // The same name again: the field is marked, nothing is created.
  await team.locator('input[name=name]').fill('team nord');
  await team.locator('button[type=submit]').click();
  await expect(team.locator('.field-error')).toHaveText('Nome: già in uso');
  await expect(page.locator('#sellers-table tbody tr')).toHaveCount(2);
  await expect(page.locator('#wizard-count')).toHaveText('3/6');
  await page.screenshot({ path: 'test-results/config-sellers.png', fullPage: true });
  await next(page, /\/config\/crm\/categories$/);

  // 3. Categories: a two-level tree.
  const newCategory = page.locator('#new-category-form');
  for (const name of ['Hardware', 'Software']) {
    await newCategory.locator('input[name=name]').fill(name);
    await newCategory.locator('button[type=submit]').click();
    await expect(page.locator(`#category-tree li[data-name=${name}]`)).toBeVisible();
  }
  await newCategory.locator('input[name=name]').fill('Portatili');
  await newCategory.locator('select[name=parent]').selectOption({ label: 'Hardware' });
  await newCategory.locator('button[type=submit]').click();
  await expect(page.locator('#category-tree li[data-name=Portatili]')).toHaveAttribute('data-depth', '1');
  await expect(page.locator('#category-tree li.category')).toHaveText([/Hardware/, /Portatili/, /Software/]);
  // Hardware under its own sub-category: refused, with the reason.
  const hardware = page.locator('#category-tree li[data-name=Hardware]');
  await hardware.locator('select[name=parent]').selectOption({ label: '— Portatili' });
  await hardware.locator('button:has-text("Sposta")').click();
  await expect(page.locator('.config [role=alert]')).toContainText('non può stare sotto sé stessa');
  await expect(page.locator('#category-tree li[data-name=Hardware]')).toHaveAttribute('data-depth', '0');
  await expect(page.locator('#wizard-count')).toHaveText('4/6');
  await next(page, /\/config\/crm\/products$/);

  // 4. Products: a wrong price is refused and marked; three products go in.
  const newProduct = page.locator('#new-product-form');
  async function addProduct(code: string, name: string, category: string, price: string) {
    await newProduct.locator('input[name=code]').fill(code);
    await newProduct.locator('input[name=name]').fill(name);
    await newProduct.locator('select[name=category]').selectOption({ label: category });
    await newProduct.locator('input[name=list_price]').fill(price);
    await newProduct.locator('button[type=submit]').click();
  }
  await addProduct('HW-001', 'Portatile 14"', '— Portatili', '10,555');
  await expect(newProduct.locator('.field-error')).toHaveText('Prezzo di listino: al massimo 2 decimali');
  await expect(page.locator('#products-table')).toHaveCount(0);
  await addProduct('HW-001', 'Portatile 14"', '— Portatili', '1.234,50');
  await expect(page.locator('#products-table tr[data-code=HW-001]')).toContainText('1.234,50');
  await addProduct('HW-002', 'Monitor 27"', 'Hardware', '189.90');
  await expect(page.locator('#products-table tr[data-code=HW-002]')).toContainText('189,90');
  await addProduct('SW-001', 'Licenza gestionale', 'Software', '499');
  await expect(page.locator('#products-table tbody tr')).toHaveCount(3);
  // The category filter includes sub-categories; the search looks at code and name.
  await page.locator('#product-filters select[name=category]').selectOption({ label: 'Hardware' });
  await expect(page.locator('#products-table tbody tr')).toHaveCount(2);
  await page.locator('#product-filters select[name=category]').selectOption({ label: 'Tutte le categorie' });
  await page.locator('#product-filters input[name=search]').fill('licenza');
  await expect(page.locator('#products-table tbody tr')).toHaveCount(1);
  await page.locator('#product-filters input[name=search]').fill('');
  await expect(page.locator('#products-table tbody tr')).toHaveCount(3);
  await page.screenshot({ path: 'test-results/config-products.png', fullPage: true });
  await expect(page.locator('#wizard-count')).toHaveText('5/6');
  await next(page, /\/config\/crm\/lost-reasons$/);

  // 5. Lost reasons: the Italian defaults are there; a new one goes last, a taken name is refused.
  await expect(page.locator('#lost-reasons tbody tr')).toHaveCount(5);
  const newReason = page.locator('#new-lost-reason-form');
  await newReason.locator('input[name=name]').fill('Budget');
  await newReason.locator('button[type=submit]').click();
  await expect(page.locator('#lost-reasons tbody tr').last()).toHaveAttribute('data-name', 'Budget');
  await newReason.locator('input[name=name]').fill('prezzo');
  await newReason.locator('button[type=submit]').click();
  await expect(newReason.locator('.field-error')).toHaveText('Nome: già in uso');
  await page.locator('#lost-reasons tr[data-name=Budget] button[title="Su"]').click();
  await expect(page.locator('#lost-reasons tbody tr').nth(4)).toHaveAttribute('data-name', 'Budget');
  await next(page, /\/config\/crm\/stages$/);

  // 6. Stage probabilities: an out-of-range value is refused, then the wizard completes.
  const stages = page.locator('#stages-form');
  await stages.locator('input[name=lead]').fill('150');
  await stages.locator('button[type=submit]').click();
  await expect(stages.locator('.field-error')).toHaveText('Probabilità lead (%): deve essere tra 0 e 100');
  await stages.locator('input[name=lead]').fill('15');
  await stages.locator('input[name=negotiation]').fill('40');
  await stages.locator('input[name=proposal]').fill('70');
  await stages.locator('button[type=submit]').click();
  await expect(stages.locator('[role=status]')).toHaveText('Salvato.');
  await expect(page.locator('#wizard-count')).toHaveText('6/6');
  await expect(page.locator('#wizard-next')).toHaveCount(0);

  await page.goto('/config/crm');
  await expect(page.locator('#config-progress')).toContainText('6/6');
  await expect(page.locator('.config .notice.ok')).toContainText('Configurazione completata');
  await expect(page.locator('#config-steps li[data-step="6"] .summary')).toContainText('15% · 40% · 70% · EUR');
  await page.screenshot({ path: 'test-results/config-overview-done.png', fullPage: true });
  await page.goto('/config/crm/categories');
  await expect(page.locator('#category-tree li[data-name=Portatili] .count')).toHaveText('1 prodotti');
  await page.screenshot({ path: 'test-results/config-categories.png', fullPage: true });
  await signOut(page);

  // A member reads every page and is offered nothing to change.
  await signIn(page, MEMBER);
  await page.click('.main-nav a[href="/config/crm"]');
  await expect(page).toHaveURL(/\/config\/crm$/);
  await expect(page.locator('#config-read-only')).toBeVisible();
  await expect(page.locator('#config-progress')).toContainText('6/6');
  await page.goto('/config/crm/tag');
  await hydrated(page);
  await expect(page.locator('#sales-tag-form input[value=customers]')).toBeChecked();
  await expect(page.locator('#sales-tag-form input[value=customers]')).toBeDisabled();
  await expect(page.locator('#sales-tag-form button')).toHaveCount(0);
  await page.goto('/config/crm/sellers');
  await expect(page.locator('#sellers-table tbody tr')).toHaveCount(2);
  await expect(page.locator('main form')).toHaveCount(0);
  await page.goto('/config/crm/categories');
  await expect(page.locator('#category-tree li.category')).toHaveCount(3);
  await expect(page.locator('main form')).toHaveCount(0);
  await page.goto('/config/crm/products');
  await expect(page.locator('#products-table tbody tr')).toHaveCount(3);
  await expect(page.locator('main form')).toHaveCount(0);
  await expect(page.locator('#products-table button')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/config-products-member.png', fullPage: true });
  await page.goto('/config/crm/stages');
  await expect(page.locator('#stages-form input[name=lead]')).toHaveValue('15');
  await expect(page.locator('#stages-form input[name=lead]')).toBeDisabled();
  await expect(page.locator('#stages-form button')).toHaveCount(0);

  // The refused forms answer 422 on purpose; anything else in the console is a fault.
  expect(errors.filter((e) => !e.includes('favicon') && !e.includes('422'))).toEqual([]);
});
