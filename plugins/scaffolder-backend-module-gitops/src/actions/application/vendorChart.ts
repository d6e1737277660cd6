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
  /** The chart's default values (values.yaml), `{}` without one. */
  values: unknown;
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
  let values: unknown = {};
  try {
    values =
      yaml.parse(await fs.readFile(path.join(dir, 'values.yaml'), 'utf8')) ??
      {};
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new InputError(
        `The chart's values.yaml is not valid YAML: ${error}`,
      );
    }
  }
  return { dir, name: String(chart.name ?? ''), version, values };
}

/** Copies the chart into the service's folder of the GitOps content. */
export async function vendorChart(chart: ChartSource, targetDir: string) {
  await fs.mkdir(targetDir, { recursive: true });
  await fs.cp(chart.dir, targetDir, { recursive: true });
}

/** Whether the chart's default values hold the given map keys (with any value, even empty). */
export function chartDeclares(chart: ChartSource, keys: string[]): boolean {
  let node: unknown = chart.values;
  for (const key of keys) {
    if (
      !node ||
      typeof node !== 'object' ||
      Array.isArray(node) ||
      !Object.prototype.hasOwnProperty.call(node, key)
    ) {
      return false;
    }
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}
