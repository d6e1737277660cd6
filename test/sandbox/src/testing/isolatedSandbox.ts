import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Sandbox, SandboxOptions, startSandbox } from '../sandbox';

/**
 * A sandbox of its own for one test file: random free ports and a fresh state directory
 * (`<tmp>/<prefix>-…`), so test files run side by side without sharing repositories or ports.
 */
export function startIsolatedSandbox(
  prefix: string,
  options: Omit<SandboxOptions, 'ports' | 'stateDir'> = {},
): Promise<Sandbox> {
  return startSandbox({
    ...options,
    ports: { coreKube: 0, edgeArgoCd: 0, github: 0, control: 0 },
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`)),
  });
}
