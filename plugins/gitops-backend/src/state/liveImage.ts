import {
  LiveImageChoice,
  liveVersionFromImages,
} from '@backstage-gitops/plugin-gitops-common';
import { EntityQuery } from '../entities/entityQuery';
import { DesiredVersion } from '../git/DesiredVersionReader';

/**
 * The image repositories the desired side says the service runs: where the version was read
 * (Helm `image.repository` beside the version key, a kustomization image's `newName`), else the
 * image a Kustomize locator names.
 */
export function desiredImageRepositories(desired: DesiredVersion): string[] {
  if (desired.imageRepository) return [desired.imageRepository];
  const locator = desired.source?.locator;
  const image =
    locator?.type === 'kustomize-image' && 'image' in locator
      ? locator.image
      : undefined;
  return image ? [image] : [];
}

/**
 * The service's live image: by the entity's `gitops/image` repositories when it has them; else by
 * the repository the desired version was read beside, then by the service's names when no live
 * image is of that one. The choice is made here, when the state is read, rather than when the
 * Application is projected: the repository is learned from Git after the projection, and the
 * store keeps the live images (pooled) so that it can be.
 */
export function liveImage(
  images: string[],
  query: EntityQuery,
  desired: DesiredVersion,
): LiveImageChoice {
  if (query.imageRepositories?.length) {
    return liveVersionFromImages(images, query.serviceNames, {
      imageRepositories: query.imageRepositories,
    });
  }
  const repositories = desiredImageRepositories(desired);
  if (!repositories.length) {
    return liveVersionFromImages(images, query.serviceNames);
  }
  const chosen = liveVersionFromImages(images, query.serviceNames, {
    imageRepositories: repositories,
  });
  if (chosen.version) return chosen;
  const byName = liveVersionFromImages(images, query.serviceNames);
  return byName.version ? byName : chosen;
}
