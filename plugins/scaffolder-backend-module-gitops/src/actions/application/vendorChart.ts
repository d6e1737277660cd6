import { InputError } from '@backstage/errors';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'yaml';

// An exact version: a range or a missing version would let the vendored copy drift unnoticed.
const EXACT_SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** The chart the template fetched, checked before it is copied. */
export interface ChartSource {
  dir: string;
  name: string;
  version: string;
}

/** Reads and checks the Chart.yaml of the chart to vendor. */
export async function readChart(dir: string): Promise<ChartSource> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, 'Chart.yaml'), 'utf8');
  } catch {
    throw new InputError(
      `No Helm chart found at the chart path (missing Chart.yaml); fetch the golden-path chart into the workspace first (fetch:plain)`,
    );
  }
  const chart = yaml.parse(text) ?? {};
  const version = String(chart.version ?? '');
  if (!EXACT_SEMVER.test(version)) {
    throw new InputError(
      `The chart's Chart.yaml must pin an exact semver version, found '${version}'`,
    );
  }
  return { dir, name: String(chart.name ?? ''), version };
}

/** Copies the chart into the service's folder of the GitOps content. */
export async function vendorChart(chart: ChartSource, targetDir: string) {
  await fs.mkdir(targetDir, { recursive: true });
  await fs.cp(chart.dir, targetDir, { recursive: true });
}
