export type {
  ApplicationSink,
  ApplicationSource,
  ApplicationSourceContext,
  ApplicationSourceFactory,
  GitopsInstance,
  IgnoredDifference,
  MalformedApplication,
  SlimApplication,
  SlimSource,
  SourceStatus,
} from './applicationSources';
export {
  gitopsApplicationSourcesExtensionPoint,
  gitopsRepoClientsExtensionPoint,
  gitopsVersionLocatorsExtensionPoint,
  type GitopsApplicationSourcesExtensionPoint,
  type GitopsRepoClientsExtensionPoint,
  type GitopsVersionLocatorsExtensionPoint,
} from './extensionPoints';
export {
  combineRepoClientProviders,
  type GitopsRepoClientProvider,
} from './repoClients';
export type {
  FoundVersion,
  GitopsVersionLocator,
  UnknownVersion,
  VersionField,
  VersionFile,
  VersionReadApplication,
  VersionReadContext,
} from './versionLocators';
