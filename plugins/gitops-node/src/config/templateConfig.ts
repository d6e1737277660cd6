import { Config } from '@backstage/config';
import { ConfigProblems } from './configProblems';

/** Sync policy of a new service's Applications in one environment. @public */
export type SyncMode = 'automated' | 'manual';

/** `gitops.template`: settings of the software template's `gitops:application:create`. @public */
export interface TemplateConfig {
  /** Argo CD project for owner Groups without a `gitops/argocd-project` annotation. */
  project?: string;
  /** Configured sync policy per environment; the others follow the action's default. */
  syncPolicy: Record<string, SyncMode>;
  /** Whether automated syncs prune resources that left Git. */
  prune: boolean;
}

/** Reads `gitops.template`; `syncPolicy` may only name configured environments. */
export function readTemplateConfig(
  config: Config,
  environments: string[],
  problems: ConfigProblems,
): TemplateConfig {
  const template = problems.read(() =>
    config.getOptionalConfig('gitops.template'),
  );
  const syncPolicy: Record<string, SyncMode> = {};
  const policies = problems.read(() =>
    template?.getOptionalConfig('syncPolicy'),
  );
  for (const environment of policies?.keys() ?? []) {
    const key = `gitops.template.syncPolicy.${environment}`;
    const mode = problems.read(() => policies!.getString(environment));
    if (mode !== 'automated' && mode !== 'manual') {
      problems.add(key, `must be 'automated' or 'manual', not '${mode}'`);
    } else if (!environments.includes(environment)) {
      problems.add(
        key,
        `${environment} is not a configured environment (${environments.join(
          ', ',
        )})`,
      );
    } else {
      syncPolicy[environment] = mode;
    }
  }
  return {
    project: problems.read(() => template?.getOptionalString('project')),
    syncPolicy,
    prune: problems.read(() => template?.getOptionalBoolean('prune')) ?? false,
  };
}
