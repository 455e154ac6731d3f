import { defineConfig } from '@playwright/test';

// Each run serves a fresh SQLite database on port 3100 (3000 stays free for a dev server).
const dir = `${__dirname}/.tmp/run-${Date.now()}`;
// The binary the journeys run on (tests/support.ts): the debug build unless VENDITA_E2E_BINARY says.
const binary = process.env.VENDITA_E2E_BINARY ?? 'target/debug/vendita';

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  workers: 1,
  // One retry, for a journey timing out on a busy 2-core machine; a real failure fails both runs.
  retries: 1,
  reporter: [['list']],
  use: {
    baseURL: 'http://127.0.0.1:3100',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `mkdir -p ${dir} && ${binary} serve`,
    cwd: '..',
    url: 'http://127.0.0.1:3100/healthz',
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      DATABASE_URL: `sqlite://${dir}/e2e.db?mode=rwc`,
      LEPTOS_OUTPUT_NAME: 'vendita',
      LEPTOS_SITE_ROOT: 'target/site',
      LEPTOS_SITE_PKG_DIR: 'pkg',
      LEPTOS_SITE_ADDR: '127.0.0.1:3100',
      RUST_LOG: 'warn',
    },
  },
});
