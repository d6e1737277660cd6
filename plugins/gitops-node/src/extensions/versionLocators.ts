import type {
  VersionLocator,
  VersionSource,
} from '@backstage-gitops/plugin-gitops-common';
import type { YamlLimits } from '../yaml';
import type { SlimSource } from './applicationSources';

/** A file of a GitOps repository read for a desired version. @public */
export interface VersionFile {
  blobSha: string;
  /** Web URL of the file, for links. */
  url?: string;
  /** The content parsed as YAML (so JSON too); parsed once per blob, whatever the revision. */
  document: unknown;
  /** Every document of a multi-document file (`document` is the first); absent for one. */
  documents?: unknown[];
}

/**
 * The Application whose version is read, and its app-of-apps parent (the Application tracking
 * it), whose source may hold its manifest in Git.
 *
 * @public
 */
export interface VersionReadApplication {
  name: string;
  namespace: string;
  /** The tracking Application, when it is known to the backend. */
  parent?: { name: string; sources: SlimSource[] };
  /** The ApplicationSet that generated the Application. */
  applicationSet?: string;
}

/** What a locator reads an Application's desired version with. @public */
export interface VersionReadContext {
  /** The Application's sources (`spec.source` or `spec.sources`). */
  sources: SlimSource[];
  /** Names of the service's images, from the catalog entity. */
  serviceNames: string[];
  /** Image repositories of the service (the entity's `gitops/image` annotation), when set. */
  imageRepositories?: string[];
  /**
   * Reads a file of a source at the revision Argo CD compared (or the branch it tracks), through
   * the repository client of the source's host. A missing file is an error unless `optional`,
   * then `undefined`.
   */
  readFile(
    source: SlimSource,
    path: string,
    options?: { optional?: boolean },
  ): Promise<VersionFile | undefined>;
  /** The Application read, for a version set in the Application itself; absent for history. */
  application?: VersionReadApplication;
  /**
   * Paths of the files under a directory of a source (its subdirectories too with `recursive`),
   * `undefined` when it does not exist. Absent when the repository client cannot list files.
   */
  listFiles?(
    source: SlimSource,
    path: string,
    options?: { recursive?: boolean },
  ): Promise<string[] | undefined>;
}

/** The desired version a locator found, and where it lives. @public */
export interface FoundVersion {
  /** The version, e.g. `1.4.0`; absent when the place exists but sets none. */
  version?: string;
  /** The file and the locator that find it again for a promotion. */
  source: VersionSource;
  /** A note the tab shows with the version, e.g. that another source sets it too. */
  reason?: string;
  /**
   * The service's image repository where the version was found (e.g. Helm `image.repository`
   * beside `image.tag`, a kustomization image's `newName`); the live image is chosen by it.
   */
  imageRepository?: string;
}

/** No desired version, and why (e.g. no value file sets the key). @public */
export interface UnknownVersion {
  /** Never set on an unknown version. */
  version?: undefined;
  /** Never set on an unknown version. */
  source?: undefined;
  /** Never set on an unknown version. */
  imageRepository?: undefined;
  /** Why, for the tab: what was looked at and what to change. */
  reason: string;
}

/** The version field of one file, found again for a promotion to rewrite it. @public */
export interface VersionField {
  /** The value written in the file now. */
  value: string;
  /** Where in the file, e.g. `image.tag`. */
  field: string;
  /** 1-based line of the value. */
  line: number;
  /** The file's content with only the value replaced, every other byte as it was. */
  replace(value: string): string;
}

/**
 * Knows where one kind of version lives, for reading it and for writing it. Added through
 * `gitopsVersionLocatorsExtensionPoint`; the built-in ones (chart targetRevision, Kustomize
 * images newTag, Helm values key) are asked first, in that order, then those of modules in the
 * order they were added.
 *
 * @public
 */
export interface GitopsVersionLocator {
  /** The `type` of the {@link @backstage-gitops/plugin-gitops-common#VersionLocator} it writes, e.g. `helm-values`. */
  readonly type: string;
  /** `chart` when its versions are chart versions (semver), `image` when image tags. */
  readonly versionKind: 'image' | 'chart';
  /**
   * The desired version of an Application, with a `source` whose `locator` has this type; or
   * `undefined` (or an {@link UnknownVersion} saying what it looked at) to leave the
   * Application to the next locator.
   */
  read(
    context: VersionReadContext,
  ): Promise<FoundVersion | UnknownVersion | undefined>;
  /**
   * Refuses (throws a `ConflictError` saying where the version comes from and what to change by
   * hand) a promotion of a version this locator found but cannot write, before any file is read.
   */
  checkWritable?(source: VersionSource): void;
  /**
   * The version field in a file this locator located, given its content. Throws a
   * `ConflictError` saying what to fix when the field is missing or ambiguous.
   */
  find(
    content: string,
    options: { locator: VersionLocator; path: string; yamlLimits?: YamlLimits },
  ): VersionField;
  /** Describes a locator for messages, e.g. `Helm values key image.tag`. */
  describe(locator: VersionLocator): string;
}
