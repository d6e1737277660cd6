import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Flex, Link, Text } from '@backstage/ui';
import { gitopsTranslationRef } from '../../translation';
import { BulkStatus } from './useBulkPromotion';

/** Where one service of a bulk promotion stands: waiting, opening, its pull requests, or why it failed. */
export function BulkProgress(props: { status: BulkStatus }) {
  const { status } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  switch (status.state) {
    case 'pending':
      return (
        <Flex align="center" gap="1" data-bulk-state="pending">
          <StatusPending />
          <Text variant="body-small">
            {t('overview.ready.progress.pending')}
          </Text>
        </Flex>
      );
    case 'opening':
      return (
        <Flex align="center" gap="1" data-bulk-state="opening">
          <StatusRunning />
          <Text variant="body-small">
            {t('overview.ready.progress.opening')}
          </Text>
        </Flex>
      );
    case 'opened':
      return (
        <Flex direction="column" gap="1" data-bulk-state="opened">
          {status.pullRequests.map(pr => (
            <Flex key={pr.url} align="center" gap="1">
              <StatusOK />
              <Link href={pr.url} target="_blank" variant="body-small">
                {t('promote.pullRequest', {
                  number: String(pr.number),
                  action: pr.action,
                })}
              </Link>
            </Flex>
          ))}
        </Flex>
      );
    case 'noop':
      return (
        <Flex align="center" gap="1" data-bulk-state="noop">
          <StatusOK />
          <Text variant="body-small">
            {t('overview.ready.progress.noop', { message: status.message })}
          </Text>
        </Flex>
      );
    default:
      return (
        <Flex align="center" gap="1" data-bulk-state="failed" role="alert">
          <StatusError />
          <Text variant="body-small" color="danger">
            {t('overview.ready.progress.failed', { message: status.message })}
          </Text>
        </Flex>
      );
  }
}
