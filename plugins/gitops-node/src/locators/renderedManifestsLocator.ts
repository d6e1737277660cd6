import { VersionLocator } from '@backstage-gitops/plugin-gitops-common';
import { ConflictError } from '@backstage/errors';
import type { GitopsVersionLocator } from '../extensions/versionLocators';

/** The type of the {@link renderedManifestsLocator}. @public */
export const RENDERED_MANIFESTS_LOCATOR = 'rendered-manifests';

/** What renders the manifests, in words: `Jsonnet or plain manifests`, `a config management plugin`. */
function renderer(locator: VersionLocator): string {
  const sourceType =
    'parameters' in locator ? locator.parameters?.sourceType : undefined;
  return sourceType === 'Plugin'
    ? 'a config management plugin'
    : 'Jsonnet or plain manifests';
}

function describe(locator: VersionLocator): string {
  const image = 'parameters' in locator ? locator.parameters?.image : undefined;
  return `image ${image ?? ''} in the manifests Argo CD renders from ${renderer(
    locator,
  )}`;
}

/**
 * A version read from the manifests Argo CD renders (Jsonnet, a config management plugin, plain
 * manifests): the backend reads them through the instance's API, so this locator finds nothing
 * in Git itself. It describes such a version and refuses its promotion, as no one place in Git
 * holds it. Locator parameters: `image` (the workload image) and `sourceType`.
 *
 * @public
 */
export function renderedManifestsLocator(): GitopsVersionLocator {
  return {
    type: RENDERED_MANIFESTS_LOCATOR,
    versionKind: 'image',
    read: async () => undefined,
    checkWritable(source) {
      throw new ConflictError(
        `The version is the tag of the ${describe(source.locator)} (${
          source.path || source.repoUrl
        }), not a value in a file the promotion can edit; change the image tag where ${renderer(
          source.locator,
        )} set it in ${
          source.repoUrl
        } by hand, or move the version to Helm values or a kustomization`,
      );
    },
    find: () => {
      throw new ConflictError(
        'A version in rendered manifests is not in a file the promotion can edit',
      );
    },
    describe,
  };
}
