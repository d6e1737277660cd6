import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import { Cell, Flex, Link, Text } from '@backstage/ui';
import { OverviewRow } from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';

/** `storefront` for `system:default/storefront`: the namespace only when it is not the default. */
export function shortRef(ref: string): string {
  const { namespace, name } = parseEntityRef(ref);
  return namespace === 'default' ? name : `${namespace}/${name}`;
}

/** The service: a link to its GitOps tab, owner and system, and the sources that failed for it. */
export function ServiceCell(props: { row: OverviewRow }) {
  const { row } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const entityLink = useEntityRefLink();
  const name = parseEntityRef(row.entityRef).name;
  const details = [row.owner, row.system].flatMap(ref =>
    ref ? [shortRef(ref)] : [],
  );
  return (
    <Cell>
      <Flex direction="column" gap="1" align="start">
        <Link href={`${entityLink(row.entityRef)}/gitops`} weight="bold">
          {row.title ?? name}
        </Link>
        {details.length > 0 && (
          <Text variant="body-small" color="secondary">
            {details.join(' · ')}
          </Text>
        )}
        {row.errors.length > 0 && (
          <Text variant="body-small" color="danger" role="status">
            {t('overview.rowErrors', {
              count: row.errors.length,
              message: `${row.errors[0].source}: ${row.errors[0].message}`,
            })}
          </Text>
        )}
        {row.environments.length === 0 && row.errors.length === 0 && (
          <Text variant="body-small" color="secondary">
            {t('overview.noEnvironments')}
          </Text>
        )}
      </Flex>
    </Cell>
  );
}
