import { helmChartFiles, helmValues } from './manifests';
import { Environment } from './model';
import { SAMPLE_SERVICES, SAMPLE_VERSIONS, valuesPath } from './sample';

/** A Helm service of the seeded world: its chart and every values file Git has held for it. */
export interface SampleHelmChart {
  service: string;
  /** The chart folder in the team's GitOps repository, e.g. `apps/checkout-api`. */
  path: string;
  /** The chart's files, relative to `path`. */
  files: Record<string, string>;
  /** Every committed version of each environment's values file, oldest first. */
  values: {
    environment: Environment;
    version: string;
    file: string;
    content: string;
  }[];
}

/**
 * The Helm charts the sample world seeds into the teams' GitOps repositories, as plain data,
 * so tests outside the sandbox can render them without starting it.
 */
export function sampleHelmCharts(): SampleHelmChart[] {
  const environments: Environment[] = ['dev', 'staging', 'prod'];
  return SAMPLE_SERVICES.filter(service => service.kind === 'helm').map(
    service => {
      const path = `apps/${service.name}`;
      const files = Object.fromEntries(
        Object.entries(helmChartFiles(service.name)).map(([file, content]) => [
          file.slice(path.length + 1),
          content,
        ]),
      );
      const values = environments.flatMap(environment =>
        SAMPLE_VERSIONS[service.name][environment].map(version => ({
          environment,
          version,
          file: valuesPath(service, environment).slice(path.length + 1),
          content: helmValues(service.name, environment, version),
        })),
      );
      return { service: service.name, path, files, values };
    },
  );
}
