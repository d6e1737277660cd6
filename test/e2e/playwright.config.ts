import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests of the portal against the GitOps sandbox, in Debian's Chromium (test tools
 * cannot download browsers here). `scripts/e2e.sh` starts the sandbox and the portal first.
 */
export default defineConfig({
  testDir: './tests',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  // No retries: a flaky test must fail and be looked at, not pass on its second try. Should a
  // retry ever be set (`--retries`), a test that passes only on retry still fails the run.
  retries: 0,
  failOnFlakyTests: true,
  reporter: [['list']],
  outputDir: '../../node_modules/.cache/e2e-test-results',
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    viewport: { width: 1440, height: 1000 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
