import { useId, useState } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { Button, Flex, Text } from '@backstage/ui';
import {
  EnvironmentState,
  gitopsEntityPromotePermission,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { PromoteDialog } from './PromoteDialog';

/**
 * Opens the promote dialog for one environment; disabled, with the reason, when the backend
 * makes no promotions (`unavailable`, from the state) or the user may not promote this entity.
 */
export function PromoteButton(props: {
  entityRef: string;
  from: EnvironmentState;
  to: EnvironmentState;
  unavailable?: string;
}) {
  const { entityRef, from, to, unavailable } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const reasonId = useId();
  const [open, setOpen] = useState(false);
  const { loading, allowed } = usePermission({
    permission: gitopsEntityPromotePermission,
    resourceRef: entityRef,
  });
  const label = t('promote.button', { environment: to.title });

  const reason =
    unavailable ??
    (!loading && !allowed ? t('promote.notPermitted') : undefined);

  if (reason) {
    return (
      <Flex align="center" gap="2">
        <Button
          size="small"
          variant="secondary"
          isDisabled
          aria-describedby={reasonId}
        >
          {label}
        </Button>
        <Text id={reasonId} variant="body-small" color="secondary">
          {reason}
        </Text>
      </Flex>
    );
  }
  if (loading) {
    return (
      <Button size="small" variant="secondary" isDisabled isPending>
        {label}
      </Button>
    );
  }
  return (
    <>
      <Button size="small" variant="primary" onPress={() => setOpen(true)}>
        {label}
      </Button>
      {open && (
        <PromoteDialog
          entityRef={entityRef}
          from={from}
          to={to}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
