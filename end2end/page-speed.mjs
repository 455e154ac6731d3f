// Page speed as the browser sees it (run by scripts/page-speed.sh, which serves the release build
// on the demo data). For each page, network and visit it prints the requests that went over the
// network (and how many of them were WASM), the bytes on the
// wire (compressed bodies and headers, as Chromium counts them), the time to content (first
// contentful paint) and the time to interactive (the page hydrated: body[data-hydrated]), each the
// median of PAGE_SPEED_RUNS loads (3). A first visit starts with an empty cache; a repeat visit
// opens the same page again in the same browser.
//   BASE=http://127.0.0.1:PORT CONTACT=ID [PAGE_SPEED_PLAIN=1] node page-speed.mjs
import { chromium } from 'playwright-core';

const base = process.env.BASE;
const contact = process.env.CONTACT;
const runs = Number(process.env.PAGE_SPEED_RUNS || 3);
const plain = process.env.PAGE_SPEED_PLAIN === '1';
if (!base || !contact) throw new Error('BASE and CONTACT must be set');

const networks = [
  { name: 'loopback', conditions: null },
  { name: '4G', conditions: { latency: 60, downloadThroughput: 9e6 / 8, uploadThroughput: 9e6 / 8 } },
  { name: 'fast 3G', conditions: { latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 } },
];
const pages = [
  { name: 'sign-in', path: '/login', user: null },
  { name: 'Vendita tab', path: `/contacts/${contact}/vendita`, user: 'giulia' },
  { name: 'Sellers report', path: '/reports/sellers', user: 'giulia' },
  { name: 'address book', path: '/contacts', user: 'giulia' },
];

// Records when the page becomes interactive: the WASM sets data-hydrated on the body.
const watchHydration = () => {
  const mark = () => {
    if (document.body && document.body.hasAttribute('data-hydrated') && !window.__hydratedAt) window.__hydratedAt = performance.now();
  };
  new MutationObserver(mark).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated'] });
};

async function load(context, url, conditions) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (conditions) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...conditions });
  // The baseline: the same build asked for nothing compressed (PAGE_SPEED_PLAIN=1).
  if (plain) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  // What went over the network: a request answered from the browser's cache does not count.
  const requests = new Map();
  let bytes = 0;
  cdp.on('Network.requestWillBeSent', (e) => requests.set(e.requestId, { url: e.request.url, cached: false }));
  cdp.on('Network.requestServedFromCache', (e) => { if (requests.has(e.requestId)) requests.get(e.requestId).cached = true; });
  cdp.on('Network.responseReceived', (e) => { if (e.response.fromDiskCache && requests.has(e.requestId)) requests.get(e.requestId).cached = true; });
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__hydratedAt, null, { timeout: 60_000, polling: 50 });
  // Let the requests the page makes once hydrated (its data) finish.
  await page.waitForLoadState('networkidle');
  const timing = await page.evaluate(() => ({
    content: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    interactive: window.__hydratedAt,
  }));
  const urls = [...requests.values()].filter((r) => !r.cached).map((r) => r.url);
  const result = { requests: urls.length, wasm: urls.filter((u) => u.endsWith('.wasm')).length, bytes, ...timing };
  await page.close();
  return result;
}

async function signIn(context, user) {
  if (!user) return;
  const res = await context.request.post(`${base}/api/login`, { form: { login: user, password: 'vendita-demo' } });
  if (!res.ok()) throw new Error(`sign-in as ${user}: ${res.status()} ${await res.text()}`);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const rows = [];
for (const network of networks) {
  for (const target of pages) {
    const first = [], repeat = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      await context.addInitScript(watchHydration);
      await signIn(context, target.user);
      first.push(await load(context, base + target.path, network.conditions));
      repeat.push(await load(context, base + target.path, network.conditions));
      await context.close();
    }
    for (const [visit, results] of [['first', first], ['repeat', repeat]]) {
      rows.push({
        page: target.name, network: network.name, visit,
        requests: median(results.map((r) => r.requests)),
        wasm: median(results.map((r) => r.wasm)),
        kb: median(results.map((r) => r.bytes)) / 1000,
        content: median(results.map((r) => r.content)),
        interactive: median(results.map((r) => r.interactive)),
      });
    }
  }
}

// A filter change on the Sellers report, computed in the page (no request): from the select's
// change to the next frame, median over PAGE_SPEED_RUNS rounds of three changes (seller,
// category, grouping), beside the fold alone as the page reports it (data-compute-ms).
const filterChange = [], foldAlone = [];
{
  const context = await browser.newContext();
  await signIn(context, 'giulia');
  const page = await context.newPage();
  await page.goto(`${base}/reports/sellers`);
  await page.locator('body[data-hydrated=true]').waitFor();
  await page.locator('#fig-won .figure-value').waitFor();
  for (let i = 0; i < runs; i++) {
    for (const [selector, index] of [['#filter-seller', 1 + (i % 2)], ['#filter-category', 1 + (i % 2)], ['#filter-grouping', 1 + (i % 2)]]) {
      filterChange.push(await page.evaluate(async ({ selector, index }) => {
        const select = document.querySelector(selector);
        const started = performance.now();
        select.selectedIndex = index;
        select.dispatchEvent(new Event('change', { bubbles: true }));
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return performance.now() - started;
      }, { selector, index }));
      foldAlone.push(Number(await page.locator('.report-body').getAttribute('data-compute-ms')));
    }
  }
  await context.close();
}
await browser.close();

const pad = (s, n) => String(s).padEnd(n);
const num = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-');
console.log(`median of ${runs} loads each${plain ? '; baseline: nothing compressed (Accept-Encoding: identity)' : ''}`);
console.log(`${pad('page', 16)}${pad('network', 10)}${pad('visit', 8)}${pad('requests', 10)}${pad('WASM', 6)}${pad('KB wire', 10)}${pad('content ms', 12)}interactive ms`);
for (const r of rows) {
  console.log(`${pad(r.page, 16)}${pad(r.network, 10)}${pad(r.visit, 8)}${pad(r.requests, 10)}${pad(r.wasm, 6)}${pad(num(r.kb, 1), 10)}${pad(num(r.content), 12)}${num(r.interactive)}`);
}
// The targets of the Vendita tab.
const tab = (network, visit) => rows.find((r) => r.page === 'Vendita tab' && r.network === network && r.visit === visit);
const checks = [
  ['Vendita tab, first visit: ≤ 500 KB on the wire', tab('4G', 'first').kb <= 500],
  ['Vendita tab, first visit: ≤ 15 requests', tab('4G', 'first').requests <= 15],
  ['Vendita tab, first visit: interactive ≤ 1.2 s on 4G', tab('4G', 'first').interactive <= 1200],
  ['Vendita tab, first visit: interactive ≤ 3 s on fast 3G', tab('fast 3G', 'first').interactive <= 3000],
  ['Vendita tab, repeat visit: no WASM downloaded again', tab('4G', 'repeat').wasm === 0],
  ['Vendita tab, repeat visit: interactive ≤ 0.6 s on 4G', tab('4G', 'repeat').interactive <= 600],
];
console.log(`Sellers report filter change in the page: median ${num(median(filterChange), 1)} ms over ${filterChange.length} changes (the fold alone ${num(median(foldAlone), 1)} ms)`);
checks.push(['Sellers report: a filter change redraws in < 50 ms (median)', median(filterChange) < 50]);
for (const [what, met] of checks) console.log(`${met ? 'met   ' : 'MISSED'} ${what}`);
