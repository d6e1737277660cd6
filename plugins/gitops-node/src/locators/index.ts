export {
  builtinVersionLocators,
  chartRevisionLocator,
  helmValuesLocator,
  kustomizeImageLocator,
  manifestImageLocator,
} from './builtinVersionLocators';
export { describeLocator, locatorPaths } from './locatorPaths';
export { locateVersion, type LocatedVersion } from './locateVersion';
export { VersionLocators } from './VersionLocators';
export { isPackagedChart } from './readVersionFields';
export { mergedHelmValues, type MergedHelmValues } from './helmValues';
export {
  renderedManifestsLocator,
  RENDERED_MANIFESTS_LOCATOR,
} from './renderedManifestsLocator';
