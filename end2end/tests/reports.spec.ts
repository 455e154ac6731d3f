import { Page } from '@playwright/test';
import { test, expect, ownServer, signIn as signInWith } from './support';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

// Reports on the demo data set (`vendita demo`: ~5 000 sales over two years), served by a server
// of this file's own on port 3103 with its own database.
const { base: BASE, dir } = ownServer('reports', 3103, { demo: true });
const PASSWORD = 'vendita-demo';
const OTHER_SELLERS = ['Sara Conti', 'Luca Marino', 'Giulia Ferri', 'Agenzia Esterna'];

test.use({ baseURL: BASE, acceptDownloads: true });

const signIn = (page: Page, login: string) => signInWith(page, login, PASSWORD);

async function openReport(page: Page, url: string) {
  await page.goto(url);
  await page.locator('body[data-hydrated=true]').waitFor();
  await expect(page.locator('#fig-won .figure-value')).toBeVisible();
}

/** The entries of a zip file (an .xlsx), read through its central directory. */
function unzip(file: string): Map<string, string> {
  const buf = fs.readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out.set(name, (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8'));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Changes a select by its option's index or text (the fold runs in WASM, no request). The time it
 * takes is measured on the release build by scripts/page-speed.sh. */
async function choose(page: Page, selector: string, choice: number | string) {
  const select = page.locator(selector);
  if (typeof choice === 'number') await select.selectOption({ index: choice });
  else {
    const texts = await select.locator('option').allTextContents();
    await select.selectOption({ index: texts.findIndex((t) => t.trim() === choice) });
  }
}

test('a manager filters to one seller and one category without a round trip, then downloads exactly that', async ({ page }) => {
  await signIn(page, 'giulia');
  await openReport(page, '/reports/sellers');
  await page.screenshot({ path: path.join(dir, 'sellers-all.png'), fullPage: true });
  const wonBefore = await page.locator('#fig-won .figure-value').textContent();
  const seriesBefore = Number(await page.locator('#chart-revenue > svg').getAttribute('data-series'));
  expect(seriesBefore).toBeGreaterThan(1);

  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await choose(page, '#filter-seller', 'Marco Galli');
  const sellerName = await page.locator('#filter-seller option:checked').textContent();
  await expect(page.locator('#chart-revenue > svg')).toHaveAttribute('data-series', '1');
  await choose(page, '#filter-category', 1);
  const categoryName = (await page.locator('#filter-category option:checked').textContent())!.trim();
  const wonAfter = await page.locator('#fig-won .figure-value').textContent();
  expect(wonAfter).not.toEqual(wonBefore);
  await expect(page.locator('#report-table tbody tr.total')).toBeVisible();
  await choose(page, '#filter-grouping', 1); // quarter
  await expect(page.locator('#report-table thead th').first()).toHaveText('Trimestre');
  // The filters go to the URL (history.replaceState), where Chromium looks at the favicon again.
  expect(requests.filter((u) => !u.endsWith('/favicon.svg')), 'filters and grouping recompute in the page').toEqual([]);
  await page.screenshot({ path: path.join(dir, 'sellers-filtered.png'), fullPage: true });

  const href = await page.locator('#report-download').getAttribute('href');
  expect(href).toContain('scope=all');
  expect(href).toMatch(/seller=\d+/);
  expect(href).toMatch(/category=\d+/);
  const downloading = page.waitForEvent('download');
  await page.click('#report-download');
  const download = await downloading;
  const file = path.join(dir, 'manager.xlsx');
  await download.saveAs(file);
  await expect(page.locator('#download-progress')).toContainText('File scaricato');
  const xlsx = unzip(file);
  const sales = xlsx.get('xl/worksheets/sheet1.xml')!;
  expect(sales).toContain(sellerName!.trim());
  for (const other of OTHER_SELLERS.filter((s) => s !== sellerName!.trim())) expect(sales).not.toContain(`>${other}<`);
  expect(xlsx.get('xl/workbook.xml')).toContain('name="Vendite"');
  expect(xlsx.get('xl/workbook.xml')).toContain('name="Riepilogo"');
  expect(xlsx.get('xl/workbook.xml')).toContain('name="Filtri"');
  expect([...xlsx.keys()].some((k) => k.startsWith('xl/charts/'))).toBe(true);
  expect(xlsx.get('xl/worksheets/sheet3.xml') ?? xlsx.get('xl/sharedStrings.xml')).toBeTruthy();
  const strings = (xlsx.get('xl/sharedStrings.xml') ?? '') + xlsx.get('xl/worksheets/sheet3.xml');
  expect(strings).toContain(categoryName.replace(/^\u00a0+/, ''));
});

test('the forecast page shows forecast against actual month by month', async ({ page }) => {
  await signIn(page, 'giulia');
  await openReport(page, '/reports/forecast');
  await expect(page.locator('#chart-forecast > svg')).toHaveAttribute('data-months', '12');
  expect(await page.locator('#chart-forecast rect.bar-actual').count()).toBe(12);
  const heights = await page.locator('#chart-forecast rect.bar-forecast').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))));
  expect(heights.some((h) => h > 0), 'open sales expected in the coming months are forecast').toBe(true);
  await expect(page.locator('#filter-period')).toHaveValue('range');
  await page.screenshot({ path: path.join(dir, 'forecast.png'), fullPage: true });
});

test('a member sees only his own figures and his download holds only his sales', async ({ page }) => {
  await signIn(page, 'marco');
  await expect(page.locator('.main-nav a[href="/reports/sellers"]')).toHaveCount(0);
  await openReport(page, '/reports/mine');
  const options = await page.locator('#filter-seller option').allTextContents();
  expect(options.slice(1).sort()).toEqual(['Marco Galli', 'Team Nord']);
  await page.screenshot({ path: path.join(dir, 'mine.png'), fullPage: true });
  const downloading = page.waitForEvent('download');
  await page.click('#report-download');
  const file = path.join(dir, 'member.xlsx');
  await (await downloading).saveAs(file);
  const sales = unzip(file).get('xl/worksheets/sheet1.xml')!;
  expect(sales).toContain('Marco Galli');
  // The seller column (D) holds his sellers only; another member may have registered a sale of
  // their shared team (column V, "Registrata da").
  const sellers = new Set([...sales.matchAll(/<c r="D\d+"[^>]*>(?:<is>)?<t[^>]*>([^<]*)<\/t>/g)].map((m) => m[1]));
  expect(sellers.size).toBeGreaterThan(0);
  for (const other of OTHER_SELLERS) expect(sellers.has(other), other).toBe(false);
  // Asking the server for another seller's numbers by editing the URL is refused.
  const res = await page.request.get(`${BASE}/reports/export.xlsx?scope=all&period=year`);
  expect(res.status()).toBe(403);
  await page.goto('/reports/sellers');
  await expect(page.locator('main .notice.error')).toBeVisible();
});
