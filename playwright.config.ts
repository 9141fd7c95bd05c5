import { defineConfig } from '@playwright/test';
import { findChromium } from './scripts/find-tools.mjs';

const chromium = findChromium();
if (!chromium) throw new Error('No Chromium found: run `node scripts/ensure-tools.mjs` or set CHROMIUM_PATH');

// Overridable so two checkouts (or a benchmark) can run side by side.
const port = Number(process.env.PASTA_E2E_PORT ?? 4173);
const outDir = process.env.PASTA_DIST ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    // A laptop screen: the README's screenshots are taken at this size, and the layout is checked at 1024 too (layout.spec.ts).
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: chromium, args: ['--enable-unsafe-webgpu'] },
  },
  // The Align view's test measures main-thread long tasks while it trains: it runs last, alone, so no other
  // test's browser or server (the Pipeline test starts two Python servers) shares the two cores with it.
  projects: [
    { name: 'main', testIgnore: /align\.spec\.ts/ },
    { name: 'alone', testMatch: /align\.spec\.ts/, dependencies: ['main'] },
  ],
  webServer: {
    command: `npx vite preview --port ${port} --outDir ${outDir}`,
    url: `http://127.0.0.1:${port}/harness.html`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
