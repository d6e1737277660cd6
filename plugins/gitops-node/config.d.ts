import { HumanDuration } from '@backstage/types';

/*
 * The one schema of the `gitops` config of every package of the suite; the reader is
 * `readGitopsConfig` in this package, and its defaults are `GITOPS_CONFIG_DEFAULTS`.
 */
export interface Config {
  /** Configuration of the GitOps suite. */
  gitops?: {
    /**
     * Environments in promotion order (e.g. dev, staging, prod), each owning clusters.
     */
    environments: Array<{
      /** Name used in routes and labels, e.g. `prod`. */
      name: string;
      /** Display title, e.g. `Production`. Defaults to the name. */
      title?: string;
      /** Names of the clusters (from `gitops.clusters`) of this environment, in display order. */
      clusters: string[];
    }>;
    /**
     * Destination clusters Applications deploy to. An Application's `spec.destination.name` or
     * `.server` is matched against `name`, `server` and `aliases`. When absent, the clusters of
     * the Kubernetes plugin's config (`kubernetes.clusterLocatorMethods[].clusters[]` of type
     * `config`) are the destinations, with their `url` as server.
     */
    clusters?: Array<{
      /** Name used everywhere in the suite, e.g. `prod-eu-1`. */
      name: string;
      /**
       * API server URL as Applications name it in `spec.destination.server`. Defaults to the
       * `url` of the Kubernetes plugin's cluster of the same name, if there is one.
       */
      server?: string;
      /** Other destination names or servers meaning this cluster, e.g. `in-cluster`. */
      aliases?: string[];
    }>;
    /**
     * Argo CD instances to read Applications from. Annotations on entities can only choose
     * among these (by name); they never name an endpoint. When absent, the instances of the
     * community Argo CD plugin's config (`argocd.appLocatorMethods[].instances[]` of type
     * `config`) are read instead.
     */
    instances?: Array<{
      /**
       * Name of the instance, as `argocd/instance-name` annotations refer to it: letters,
       * digits, dashes, dots and underscores.
       */
      name: string;
      /**
       * `kubernetes`: read Applications through the Kubernetes API of the cluster Argo CD runs
       * in (list + watch). `argocd`: read them through the Argo CD REST API (list + stream).
       * Backend modules add other types (`gitopsApplicationSourcesExtensionPoint`), which may
       * read keys of their own from the entry.
       */
      type: string;
      /**
       * kubernetes only: take `url`, the service account token and the TLS settings from the
       * Kubernetes plugin's cluster of the same name under
       * `kubernetes.clusterLocatorMethods[].clusters[]` (type `config`, authProvider
       * `serviceAccount`), instead of giving them here.
       */
      fromKubernetesConfig?: boolean;
      /**
       * argocd only: take `url` and the credentials (`token`, or `username` and `password`)
       * from the community Argo CD plugin's instance of the same name under
       * `argocd.appLocatorMethods[].instances[]`, instead of giving them here. The other keys
       * (uiUrl, clusters, caData, ...) may still be given here.
       */
      fromArgocdConfig?: boolean;
      /** API server URL (kubernetes) or Argo CD server URL (argocd). */
      url?: string;
      /**
       * Bearer token: a service account token (kubernetes) or an Argo CD API token (argocd).
       * An argocd instance gives either a token or `username` and `password`.
       * @visibility secret
       */
      token?: string;
      /**
       * argocd only, instead of `token`: a local Argo CD account whose session
       * (`POST /api/v1/session`) the backend opens and renews before it expires.
       */
      username?: string;
      /**
       * argocd only: the password of `username`.
       * @visibility secret
       */
      password?: string;
      /** CA certificate as PEM or base64-encoded PEM. */
      caData?: string;
      /** Path of a CA certificate file (PEM). */
      caFile?: string;
      /** Skip TLS verification. Only for local development. */
      skipTLSVerify?: boolean;
      /** kubernetes only: read cluster, user and CA from a kubeconfig file instead of url/token. */
      kubeconfigPath?: string;
      /** kubernetes only: context of the kubeconfig file to use. Defaults to its current context. */
      context?: string;
      /** kubernetes only: watch these namespaces instead of the whole cluster. */
      namespaces?: string[];
      /** URL of the Argo CD web UI, for links to Applications. */
      uiUrl?: string;
      /** Bound on each request to the instance. Defaults to 10 seconds. */
      timeout?: HumanDuration | string;
      /**
       * Clusters this instance manages (names from `gitops.clusters`). Optional; lets the state
       * mark those clusters' cells as failing when the instance is down before it delivered any
       * Application. It also says which cluster an in-cluster destination (`in-cluster`,
       * `https://kubernetes.default.svc`) of the instance's Applications means: the only one
       * listed, or among several the one whose `aliases` match. So per-cluster Argo CD instances
       * each list their own cluster, and their in-cluster Applications never share a cell.
       */
      clusters?: string[];
    }>;
    /**
     * Application label that overrides the environment of an Application's cluster.
     * Defaults to `gitops.backstage.io/environment`.
     */
    environmentLabel?: string;
    /**
     * Most Applications one entity's annotations may select; an entity selecting more gets a
     * config error on its tab and cannot be promoted. Defaults to 100.
     */
    maxApplicationsPerEntity?: number;
    /** Where desired versions are read in Git. */
    versionLocator?: {
      /** Dot path of the version in Helm values files. Defaults to `image.tag`. */
      helmValuesKey?: string;
    };
    /**
     * Watch and stream supervision. Durations here and below are Backstage durations:
     * `5 minutes`, `PT5M` or `{ minutes: 5 }`.
     */
    watch?: {
      /**
       * Restart a watch (kubernetes) or stream (argocd) that delivered no event or bookmark for
       * this long. Defaults to 5 minutes.
       */
      stallTimeout?: HumanDuration | string;
      /** Poll interval of an argocd instance whose stream is unavailable. Defaults to 30 seconds. */
      pollInterval?: HumanDuration | string;
      /**
       * A failing source (or namespace) counts as recovered only once its watch or stream
       * delivered data or stayed open this long, so a source that cannot keep a watch open is
       * not reported healthy between retries. Defaults to 5 seconds.
       */
      established?: HumanDuration | string;
    };
    /** Reads of desired versions from the GitOps repositories. */
    git?: {
      /** Bound on each GitHub request. Defaults to 10 seconds. */
      timeout?: HumanDuration | string;
      /**
       * How long a state request waits for Git reads. A read still running then is reported as
       * a `timeout` error; its result is cached for the next request. Defaults to 5 seconds.
       */
      requestWait?: HumanDuration | string;
      /**
       * How long a file read at a branch (rather than a commit sha) is trusted. Defaults to
       * 1 minute; 0 reads a branch every time.
       */
      branchCache?: HumanDuration | string;
    };
    /**
     * Bounds and times to live of the in-memory caches. Each is an LRU cache: past its bound the
     * least recently used entries are dropped, and no entry is served after its time to live.
     * Durations are Backstage durations: `30 minutes`, `PT1H` or `{ hours: 1 }`.
     */
    cache?: {
      /** Caches of the desired-version reads from Git. */
      git?: {
        /** Files looked up at a commit or a branch (path to blob). Defaults to 10000. */
        maxFiles?: number;
        /**
         * Parsed files, bounded by the bytes of their contents (the parsed form takes a few times
         * that). Defaults to 16777216 (16 MiB).
         */
        maxBlobBytes?: number;
        /** Desired versions of Applications' sources. Defaults to 20000. */
        maxResults?: number;
        /** Failed reads answered from memory until they are retried. Defaults to 2000. */
        maxFailures?: number;
        /**
         * Longest any Git read is served from memory, also one at a commit (reads at a branch
         * are trusted for `gitops.git.branchCache` at most). Defaults to 1 hour.
         */
        ttl?: HumanDuration | string;
      };
      /** Argo CD history of Applications, read when an environment's history is opened. */
      history?: {
        /** Applications whose history is held. Defaults to 1000. */
        maxEntries?: number;
        /** How long a history is reused while its Application did not sync. Defaults to 1 minute. */
        ttl?: HumanDuration | string;
      };
      /** Entities whose state was asked for recently: their open tabs get signals on changes. */
      recentEntities?: {
        /** Entities remembered; the least recently viewed are forgotten. Defaults to 10000. */
        maxEntries?: number;
        /** How long an entity stays recent after its state was asked for. Defaults to 1 hour. */
        ttl?: HumanDuration | string;
      };
    };
    /** Push of state changes to open entity pages. */
    signals?: {
      /** Changes within this time are sent as one signal. Defaults to 500 milliseconds. */
      debounce?: HumanDuration | string;
    };
    /** The overview of every GitOps service (`GET /api/gitops/v1/overview`). */
    overview?: {
      /**
       * How often the catalog's GitOps entities (their annotations, owner, system, title) are read
       * again; Application changes update rows at once. Defaults to 5 minutes.
       */
      refresh?: HumanDuration | string;
    };
    /**
     * Bounds on the YAML files read and edited (values files, kustomizations, Applications),
     * checked before a file is parsed: larger files, or files with more aliases, are refused
     * with a message naming the limit, instead of blocking the backend while they are parsed.
     */
    yamlLimits?: {
      /** Size in bytes. Defaults to 131072 (128 KiB): a larger file takes yaml's parser past 100 ms. */
      maxBytes?: number;
      /** Number of aliases (`*name`). Defaults to 1000. */
      maxAliases?: number;
    };
    /** Promotions between environments (pull requests against the GitOps repositories). */
    promotion?: {
      /**
       * Entity refs of users or groups (a bare name is a Group) who promote any entity, across
       * teams' GitOps repositories. A permission policy grants them `gitops.entity.promote` with
       * `gitopsCatalogConditions.isReleaseOwner` (needs `@backstage-gitops/plugin-catalog-backend-module-gitops`).
       */
      releaseOwners?: string[];
      /**
       * Promote although the permission framework is disabled (`permission.enabled` not true),
       * which lets every signed-in user promote every entity. Without it, promotion is refused
       * then, and the tab says why. Defaults to false.
       */
      allowWithoutPermissions?: boolean;
      /** Labels added to promotion pull requests. */
      labels?: string[];
      /**
       * Reviewers requested on promotion pull requests: GitHub user logins, or teams as
       * `org/team-slug`.
       */
      reviewers?: string[];
      /**
       * Also request a review from the owning team: the `github.com/team-slug` annotation of the
       * entity's owner Group. Defaults to false.
       */
      requestOwnerReview?: boolean;
      /** Prefix of promotion branches. Defaults to `gitops/promote`. */
      branchPrefix?: string;
      /** Per target environment: waves of clusters, each wave promoted by one PR. */
      waves?: { [environment: string]: string[][] };
      /** Windows in which promotions are refused. */
      freezeWindows?: Array<{
        /** Environments the window applies to; all when absent. */
        environments?: string[];
        /**
         * Start: an ISO date-time (a one-off window), or a weekly UTC time such as `Fri 16:00`
         * (every week; then `end` is weekly too, and the window may wrap around the weekend).
         */
        start: string;
        /** End: an ISO date-time, or a weekly UTC time such as `Mon 08:00`. */
        end: string;
        /** Shown to the person whose promotion was refused. */
        reason?: string;
      }>;
    };
    /**
     * Settings of the `gitops-service` software template's `gitops:application:create` action.
     */
    template?: {
      /**
       * Argo CD project of the Applications a new service gets when its owner Group has no
       * `gitops/argocd-project` annotation. It must exist in Argo CD. Without either, the
       * template fails before writing anything.
       */
      project?: string;
      /**
       * Sync policy per environment name. Environments not listed are `automated` (with
       * selfHeal), except the last configured environment, which is `manual`.
       */
      syncPolicy?: { [environment: string]: 'automated' | 'manual' };
      /**
       * Whether automated syncs prune resources that left Git. Off by default.
       */
      prune?: boolean;
    };
  };
}
