import { TranslationFunction } from '@backstage/frontend-plugin-api';
import {
  ClusterState,
  isVersionRange,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';

/**
 * The desired version as a cell or grid row shows it (a chart range with the version Argo CD
 * resolved it to, or why there is none), and its title: where the version lives in words, or
 * why it is unknown.
 */
export function desiredVersionText(
  cluster: ClusterState,
  t: TranslationFunction<typeof gitopsTranslationRef.T>,
): { text: string; title?: string } {
  const { desiredVersion, desiredSource, desiredReason, liveVersion } = cluster;
  const title = desiredSource
    ? `${t('matrix.desiredSource')}: ${
        desiredSource.description ??
        `${desiredSource.path} (${desiredSource.locator.type})`
      }`
    : desiredReason;
  if (!desiredVersion) {
    return {
      text: desiredReason
        ? t('matrix.unknownBecause', { reason: desiredReason })
        : t('matrix.unknown'),
      title,
    };
  }
  if (
    isVersionRange(desiredVersion) &&
    desiredSource?.locator.type === 'chart-revision' &&
    liveVersion
  ) {
    return {
      text: t('matrix.rangeResolved', {
        range: desiredVersion,
        version: liveVersion,
      }),
      title,
    };
  }
  return { text: desiredVersion, title };
}
