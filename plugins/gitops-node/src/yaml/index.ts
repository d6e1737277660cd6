export {
  findOptionalYamlScalar,
  findYamlScalar,
  type YamlScalarLocation,
  type YamlScalarStyle,
} from './findYamlScalar';
export { replaceYamlScalar, type YamlScalarEdit } from './replaceYamlScalar';
export { unifiedDiff } from './unifiedDiff';
export {
  checkYamlLimits,
  DEFAULT_YAML_LIMITS,
  YamlLimitError,
  type YamlLimits,
} from './yamlLimits';
export {
  formatYamlPath,
  parseYamlKey,
  type YamlPath,
  type YamlPathSegment,
  type YamlSequenceMatch,
} from './yamlPath';
