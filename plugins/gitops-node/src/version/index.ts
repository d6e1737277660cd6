export {
  formatVersionLike,
  MAX_VERSION_LENGTH,
  parseVersion,
  versionTag,
  type ParsedVersion,
} from './parseVersion';
