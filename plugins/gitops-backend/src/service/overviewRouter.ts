import {
  BackstageCredentials,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  OverviewPage,
  OverviewRow,
  SourceError,
} from '@backstage-gitops/plugin-gitops-common';
import { PromotionConfig } from '@backstage-gitops/plugin-gitops-node';
import express from 'express';
import Router from 'express-promise-router';
import { OverviewAccess } from '../overview/OverviewAccess';
import { OverviewIndex } from '../overview/OverviewIndex';
import { parseOverviewQuery } from '../overview/overviewQuery';
import {
  IndexedRow,
  OverviewPromotions,
  withPromotions,
} from '../overview/overviewRow';
import { withRequestGates } from '../overview/readyPromotions';
import { selectOverviewPage } from '../overview/selectOverviewPage';

/** Options of {@link createOverviewRouter}. */
export interface OverviewRouterOptions {
  index: Pick<OverviewIndex, 'rows' | 'errors'>;
  access: OverviewAccess;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  /** The configured environments, in order: the page's columns. */
  environments: Array<{ name: string; title: string }>;
  /** Freeze windows and the rest of the promotion gates' config. */
  promotionConfig: PromotionConfig;
  /** Why no promotion can be made at all: then no row may be promoted. */
  promotionUnavailable: string | undefined;
  /** Promotions tracked per entity; without it rows show none. */
  promotions?: OverviewPromotions;
  clock?: () => Date;
}

/** `GET /v1/overview`: one page of the overview, served from memory. */
export function createOverviewRouter(
  options: OverviewRouterOptions,
): express.Router {
  const { index, access, httpAuth, userInfo, environments } = options;
  const names = environments.map(e => e.name);
  const router = Router();

  router.get('/v1/overview', async (req, res) => {
    const query = parseOverviewQuery(req.query, names);
    const credentials = await httpAuth.credentials(req);
    const ownershipRefs = query.ownedByMe
      ? await ownership(userInfo, credentials)
      : new Set<string>();
    const rows = [...index.rows()];
    const rights = await access.rights(credentials, rows);
    const page = selectOverviewPage(rows, query, {
      mayRead: rights.mayRead,
      ownershipRefs,
    });
    const now = (options.clock ?? (() => new Date()))();
    const actor = actorOf(credentials);
    const items: OverviewRow[] = page.rows.map(row => {
      const canPromote =
        !options.promotionUnavailable && rights.mayPromote(row);
      return {
        ...row.row,
        environments: withPromotions(
          row.row.environments,
          options.promotions?.forEntity(row.entityRef) ?? [],
        ),
        ready: withRequestGates(row.row.ready, {
          entityRef: row.entityRef,
          actor,
          permitted: canPromote,
          config: options.promotionConfig,
          now,
        }),
        canPromote,
      };
    });
    const errors = [...index.errors(), ...sharedErrors(page.rows)];
    if (rights.deniedAll) {
      errors.push({
        source: 'permission',
        kind: 'forbidden',
        message:
          'You may not read the deployment state of any service (permission gitops.entity.read); ask your Backstage admins for it',
      });
    }
    const body: OverviewPage = {
      items,
      totalItems: page.totalItems,
      nextCursor: page.nextCursor,
      environments,
      errors,
      updatedAt: new Date(
        Math.max(0, ...page.rows.map(r => r.updatedMs || 0)) || now.getTime(),
      ).toISOString(),
    };
    res.json(body);
  });

  return router;
}

async function ownership(
  userInfo: UserInfoService,
  credentials: BackstageCredentials,
): Promise<Set<string>> {
  if ((credentials.principal as { type?: string }).type !== 'user') {
    throw new InputError(
      'Query parameter ownedByMe needs a signed-in user; leave it out for service calls',
    );
  }
  const info = await userInfo.getUserInfo(
    credentials as BackstageCredentials<any>,
  );
  return new Set(
    info.ownershipEntityRefs.map(r => r.toLocaleLowerCase('en-US')),
  );
}

function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}

/** Errors of sources every entity reading them shares, once per page. */
function sharedErrors(rows: IndexedRow[]): SourceError[] {
  const seen = new Map<string, SourceError>();
  for (const row of rows) {
    for (const error of row.sharedErrors) {
      seen.set(`${error.source}\u0000${error.message}`, error);
    }
  }
  return [...seen.values()];
}
