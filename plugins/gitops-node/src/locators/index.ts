export {
  describeLocator,
  locatorPaths,
  locatorVersionKind,
} from './locatorPaths';
export { locateVersion, type LocatedVersion } from './locateVersion';
