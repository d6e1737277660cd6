import { useState } from 'react';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { Button, Flex, Text } from '@backstage/ui';
import {
  EnvironmentState,
  ReadyPromotion,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsApiRef } from '../../api';
import { gitopsTranslationRef } from '../../translation';
import { errorMessage } from '../errorMessage';
import { PromoteDialog } from '../PromoteDialog';

type Loaded = { from: EnvironmentState; to: EnvironmentState };

/**
 * "Promote" on an overview row: loads the service's state when pressed (the dialog needs both
 * environments) and opens the same dialog as the entity tab.
 */
export function RowPromoteButton(props: {
  entityRef: string;
  ready: ReadyPromotion;
  label: string;
  onClosed: () => void;
}) {
  const { entityRef, ready, label, onClosed } = props;
  const api = useApi(gitopsApiRef);
  const { t } = useTranslationRef(gitopsTranslationRef);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const [loaded, setLoaded] = useState<Loaded>();

  const open = async () => {
    setPending(true);
    setError(undefined);
    try {
      const state = await api.getState(entityRef);
      const from = state.environments.find(e => e.name === ready.from);
      const to = state.environments.find(e => e.name === ready.to);
      if (!from || !to) {
        throw new Error(
          `The state of ${entityRef} has no environment ${
            from ? ready.to : ready.from
          }`,
        );
      }
      setLoaded({ from, to });
    } catch (e) {
      setError(errorMessage(e instanceof Error ? e : new Error(String(e))));
    } finally {
      setPending(false);
    }
  };

  return (
    <Flex direction="column" gap="1" align="start">
      <Button
        size="small"
        variant="secondary"
        isPending={pending}
        onPress={open}
        aria-label={label}
      >
        {t('overview.ready.promote')}
      </Button>
      {error && (
        <Text variant="body-small" color="danger" role="alert">
          {t('overview.ready.loadStateError', { message: error })}
        </Text>
      )}
      {loaded && (
        <PromoteDialog
          entityRef={entityRef}
          from={loaded.from}
          to={loaded.to}
          onClose={() => {
            setLoaded(undefined);
            onClosed();
          }}
        />
      )}
    </Flex>
  );
}
