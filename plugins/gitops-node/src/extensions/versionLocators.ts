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
}

/** What a locator reads an Application's desired version with. @public */
export interface VersionReadContext {
  /** The Application's sources (`spec.source` or `spec.sources`). */
  sources: SlimSource[];
  /** Names of the service's images, from the catalog entity. */
  serviceNames: string[];
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
}

/** The desired version a locator found, and where it lives. @public */
export interface FoundVersion {
  /** The version, e.g. `1.4.0`; absent when the place exists but sets none. */
  version?: string;
  /** The file and the locator that find it again for a promotion. */
  source: VersionSource;
  /**
   * The service's image repository where the version was found (e.g. Helm `image.repository`
   * beside `image.tag`, a kustomization image's `newName`); the live image is chosen by it.
   */
  imageRepository?: string;
  /** Never set on a found version; lets a read result be checked for `reason` directly. */
  reason?: undefined;
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
