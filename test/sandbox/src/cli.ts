/* eslint-disable no-console */
import { DEFAULT_PORTS, startSandbox } from './sandbox';

/**
 * Starts the sample world on the fixed ports of the portal's default config.
 * Environment: SANDBOX_STATE_DIR, SANDBOX_PHASE_DELAY_MS, SANDBOX_PORT_OFFSET
 * (added to every fixed port, to run a second sandbox next to the default one),
 * SANDBOX_WITHHOLD_APPLICATIONS=1 (app of apps creates no Application).
 */
async function main() {
  const began = Date.now();
  const offset = Number(process.env.SANDBOX_PORT_OFFSET ?? 0);
  const sandbox = await startSandbox({
    stateDir: process.env.SANDBOX_STATE_DIR,
    ports: Object.fromEntries(
      Object.entries(DEFAULT_PORTS).map(([key, port]) => [key, port + offset]),
    ),
    reconciler: {
      phaseDelayMs: process.env.SANDBOX_PHASE_DELAY_MS
        ? Number(process.env.SANDBOX_PHASE_DELAY_MS)
        : undefined,
      withholdApplications: process.env.SANDBOX_WITHHOLD_APPLICATIONS === '1',
    },
  });
  console.log(
    JSON.stringify(
      {
        github: sandbox.urls.githubApi,
        git: `${sandbox.urls.githubWeb}/acme/<repo>.git`,
        kube: sandbox.urls.kube,
        argocd: sandbox.urls.argocd,
        control: sandbox.urls.control,
        caFile: sandbox.caFile,
        tokens: sandbox.tokens,
        accounts: sandbox.accounts,
      },
      null,
      2,
    ),
  );
  console.log(`sandbox ready in ${Date.now() - began} ms`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await sandbox.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
