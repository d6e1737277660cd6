import { ReactElement } from 'react';
import { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { JsonObject } from '@backstage/types';
import { GitopsApi, gitopsApiRef } from '../api';

/** Test helpers. Used by tests only. */

export function entityNamed(name: string, annotated = true): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: annotated
        ? { 'argocd/app-selector': `app.kubernetes.io/name=${name}` }
        : {},
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

export function mockGitopsApi(
  overrides: Partial<GitopsApi>,
): jest.Mocked<GitopsApi> {
  return {
    getState: jest.fn(async () => {
      throw new Error('getState not mocked');
    }),
    getHistory: jest.fn(async (entityRef: string, environment: string) => ({
      entityRef,
      environment,
      entries: [],
      errors: [],
    })),
    promote: jest.fn(async () => {
      throw new Error('promote not mocked');
    }),
    listPromotions: jest.fn(async () => ({ items: [], errors: [] })),
    getReadiness: jest.fn(async (entityRef: string) => ({
      entityRef,
      environments: [],
    })),
    getControlPlane: jest.fn(async () => {
      throw new Error('getControlPlane not mocked');
    }),
    getOverview: jest.fn(async () => {
      throw new Error('getOverview not mocked');
    }),
    ...overrides,
  } as jest.Mocked<GitopsApi>;
}

/** A signal API whose messages the test sends by hand. */
export class ManualSignalApi implements SignalApi {
  private readonly subscribers = new Map<
    string,
    Set<(m: JsonObject) => void>
  >();

  subscribe<T extends JsonObject>(channel: string, onMessage: (m: T) => void) {
    const set = this.subscribers.get(channel) ?? new Set();
    set.add(onMessage as (m: JsonObject) => void);
    this.subscribers.set(channel, set);
    return {
      unsubscribe: () => set.delete(onMessage as (m: JsonObject) => void),
    };
  }

  publish(channel: string, message: JsonObject) {
    this.subscribers.get(channel)?.forEach(subscriber => subscriber(message));
  }
}

export function renderWithEntity(
  element: ReactElement,
  options: {
    entity: Entity;
    api: GitopsApi;
    canPromote?: boolean;
    signals?: SignalApi;
  },
) {
  const apis = [
    [gitopsApiRef, options.api],
    mockApis.permission({
      authorize:
        options.canPromote === false
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    }),
    ...(options.signals ? [[signalApiRef, options.signals]] : []),
  ] as const;
  return renderInTestApp(
    <EntityProvider entity={options.entity}>{element}</EntityProvider>,
    { apis: apis as any },
  );
}
