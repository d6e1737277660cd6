import { defineConfig } from '@playwright/test';
import e2eConfig from '@internal/gitops-e2e/playwright.config';

/**
 * The adopter portal's specs: the browser, timeouts and no-retry rules of the portal's own
 * end-to-end tests (test/e2e). `scripts/adopter-e2e.sh` starts the sandbox and the portal first.
 */
export default defineConfig({
  ...e2eConfig,
  testDir: './tests',
  outputDir: '../../node_modules/.cache/adopter-e2e-test-results',
});
