import { ConfigReader } from '@backstage/config';
import {
  GitopsConfig,
  readGitopsConfig,
} from '@backstage-gitops/plugin-gitops-node';

/** The defaults of the one config reader, with a test's topology and instances over them. */
export function testGitopsConfig(
  overrides: Pick<GitopsConfig, 'topology' | 'instances'> &
    Partial<GitopsConfig>,
): GitopsConfig {
  return { ...readGitopsConfig(new ConfigReader({})), ...overrides };
}
