import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_ENVIRONMENT_LABEL,
  GitopsTopology,
} from '@backstage-gitops/plugin-gitops-common';
import {
  readYamlLimits,
  YamlLimits,
} from '@backstage-gitops/plugin-gitops-node';
import { z } from 'zod';
import { DEFAULT_MAX_APPLICATIONS_PER_ENTITY } from '../entities/entityQuery';
import { argocdAuthProblem, fromArgocdConfigProblem } from './argocdAuth';
import {
  INSTANCE_NAME,
  INSTANCE_NAME_RULE,
  resolveInstances,
} from './communityArgocdInstances';
import { CacheLimits, readCacheLimits } from './cacheLimits';

const name = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a lowercase name of letters, digits and dashes',
  );

const BUILTIN_TYPES = ['kubernetes', 'argocd'];

const instanceSchema = z
  .object({
    name: z.string().regex(INSTANCE_NAME, INSTANCE_NAME_RULE),
    type: z.string().min(1),
    fromArgocdConfig: z.boolean().optional(),
    url: z.string().url().optional(),
    token: z.string().optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    caData: z.string().optional(),
    caFile: z.string().optional(),
    skipTLSVerify: z.boolean().optional(),
    kubeconfigPath: z.string().optional(),
    context: z.string().optional(),
    namespaces: z.array(z.string()).optional(),
    uiUrl: z.string().url().optional(),
    timeoutMs: z.number().int().positive().optional(),
    clusters: z.array(z.string()).optional(),
  })
  // the keys of instance types that modules add are theirs to read
  .passthrough()
  .superRefine((instance, ctx) => {
    if (!BUILTIN_TYPES.includes(instance.type)) {
      return;
    }
    if (instance.fromArgocdConfig) {
      const problem = fromArgocdConfigProblem(instance);
      if (problem) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
      }
      return;
    }
    if (
      !instance.url &&
      !(instance.type === 'kubernetes' && instance.kubeconfigPath)
    ) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message:
          instance.type === 'kubernetes'
            ? 'needs either url (with token) or kubeconfigPath'
            : 'needs url',
      });
    }
    const problem = argocdAuthProblem(instance);
    if (problem) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    }
  });

const configSchema = z
  .object({
    environments: z
      .array(
        z.object({
          name,
          title: z.string().optional(),
          clusters: z.array(z.string()).default([]),
        }),
      )
      .min(1, 'configure at least one environment'),
    clusters: z.array(
      z.object({
        name,
        server: z.string().url().optional(),
        aliases: z.array(z.string()).optional(),
      }),
    ),
    instances: z.array(instanceSchema).default([]),
    environmentLabel: z.string().default(DEFAULT_ENVIRONMENT_LABEL),
    maxApplicationsPerEntity: z
      .number()
      .int()
      .positive()
      .default(DEFAULT_MAX_APPLICATIONS_PER_ENTITY),
    versionLocator: z
      .object({ helmValuesKey: z.string().default('image.tag') })
      .default({}),
    watch: z
      .object({
        stallTimeoutSeconds: z.number().positive().default(300),
        pollIntervalSeconds: z.number().positive().default(30),
        establishedSeconds: z.number().positive().default(5),
      })
      .default({}),
    signals: z
      .object({ debounceMs: z.number().nonnegative().default(500) })
      .default({}),
    git: z
      .object({
        timeoutMs: z.number().int().positive().default(10_000),
        requestWaitMs: z.number().int().positive().default(5_000),
        branchCacheSeconds: z.number().nonnegative().default(60),
      })
      .default({}),
  })
  .superRefine((config, ctx) => {
    const clusterNames = new Set(config.clusters.map(c => c.name));
    const seen = new Map<string, string>();
    config.environments.forEach((env, i) => {
      env.clusters.forEach((cluster, j) => {
        if (!clusterNames.has(cluster)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['environments', i, 'clusters', j],
            message: `cluster ${cluster} is not listed under gitops.clusters`,
          });
        }
        const owner = seen.get(cluster);
        if (owner) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['environments', i, 'clusters', j],
            message: `cluster ${cluster} already belongs to environment ${owner}`,
          });
        }
        seen.set(cluster, env.name);
      });
    });
    for (const [field, values] of [
      ['environments', config.environments.map(e => e.name)],
      ['clusters', config.clusters.map(c => c.name)],
      ['instances', config.instances.map(i => i.name)],
    ] as const) {
      const dup = values.find((v, i) => values.indexOf(v) !== i);
      if (dup) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [field],
          message: `name ${dup} is used twice`,
        });
      }
    }
  });

/** A configured Argo CD instance. */
export type InstanceConfig = z.infer<typeof instanceSchema> & {
  /** Where it is configured, e.g. `gitops.instances[1]`, for the fix in messages. */
  configKey?: string;
};

/** The validated `gitops` configuration the state backend works with. */
export interface GitopsConfig {
  topology: GitopsTopology;
  instances: InstanceConfig[];
  environmentLabel: string;
  /** An entity whose annotations select more Applications gets a config error instead. */
  maxApplicationsPerEntity: number;
  helmValuesKey: string;
  stallTimeoutMs: number;
  pollIntervalMs: number;
  /** A failing source recovers once its watch stayed open this long (or delivered data). */
  watchEstablishedMs: number;
  signalDebounceMs: number;
  /** Bound on one GitHub request of a desired-version read. */
  gitTimeoutMs: number;
  /** How long a state request waits for Git before answering with a `timeout` error. */
  gitWaitMs: number;
  /** How long a file read at a branch (not a commit sha) is trusted. */
  gitBranchTtlMs: number;
  /** `gitops.yamlLimits`: files beyond them are refused before parsing; defaults when absent. */
  yamlLimits?: YamlLimits;
  /** `gitops.cache`: bounds and times to live of the in-memory caches. */
  cache: CacheLimits;
}

/** Options of {@link readGitopsConfig}. */
export interface ReadGitopsConfigOptions {
  /**
   * The instance types sources are registered for (`gitopsApplicationSourcesExtensionPoint`); an
   * instance of another type is refused. Not checked when absent.
   */
  sourceTypes?: string[];
}

/**
 * Reads and validates the `gitops` block of the app config. Throws an error naming every
 * offending key, so a misconfiguration stops the backend at startup with a fixable message.
 */
export function readGitopsConfig(
  config: Config,
  options: ReadGitopsConfigOptions = {},
): GitopsConfig {
  const raw = config.getOptional('gitops');
  if (raw === undefined) {
    return {
      topology: { environments: [], clusters: [] },
      instances: [],
      environmentLabel: DEFAULT_ENVIRONMENT_LABEL,
      maxApplicationsPerEntity: DEFAULT_MAX_APPLICATIONS_PER_ENTITY,
      helmValuesKey: 'image.tag',
      stallTimeoutMs: 300_000,
      pollIntervalMs: 30_000,
      watchEstablishedMs: 5_000,
      signalDebounceMs: 500,
      gitTimeoutMs: 10_000,
      gitWaitMs: 5_000,
      gitBranchTtlMs: 60_000,
      yamlLimits: readYamlLimits(config),
      cache: readCacheLimits(config),
    };
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map(issue => `gitops.${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new InputError(`Invalid gitops configuration: ${problems}`);
  }
  const c = parsed.data;
  const { sourceTypes } = options;
  const unknownTypes = sourceTypes
    ? c.instances.flatMap((instance, i) =>
        sourceTypes.includes(instance.type)
          ? []
          : [
              `gitops.instances[${i}].type: no source reads instances of type ${
                instance.type
              } (registered types: ${sourceTypes.join(
                ', ',
              )}); fix the type or add the backend module that reads it`,
            ],
      )
    : [];
  if (unknownTypes.length) {
    throw new InputError(
      `Invalid gitops configuration: ${unknownTypes.join('; ')}`,
    );
  }
  const resolved = resolveInstances(
    config,
    (raw as { instances?: unknown }).instances === undefined
      ? undefined
      : c.instances,
  );
  if (resolved.problems.length) {
    throw new InputError(
      `Invalid gitops configuration: ${resolved.problems.join('; ')}`,
    );
  }
  return {
    topology: {
      environments: c.environments.map(e => ({
        name: e.name,
        title: e.title ?? e.name,
        clusters: e.clusters,
      })),
      clusters: c.clusters,
    },
    instances: resolved.instances,
    environmentLabel: c.environmentLabel,
    maxApplicationsPerEntity: c.maxApplicationsPerEntity,
    helmValuesKey: c.versionLocator.helmValuesKey,
    stallTimeoutMs: c.watch.stallTimeoutSeconds * 1000,
    pollIntervalMs: c.watch.pollIntervalSeconds * 1000,
    watchEstablishedMs: c.watch.establishedSeconds * 1000,
    signalDebounceMs: c.signals.debounceMs,
    gitTimeoutMs: c.git.timeoutMs,
    gitWaitMs: c.git.requestWaitMs,
    gitBranchTtlMs: c.git.branchCacheSeconds * 1000,
    yamlLimits: readYamlLimits(config),
    cache: readCacheLimits(config),
  };
}
