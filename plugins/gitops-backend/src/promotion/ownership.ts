import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_GITOPS_REPO_URL,
  EntityGitopsState,
  isReleaseOwner,
  PromotionPlan,
} from '@backstage-gitops/plugin-gitops-common';
import { parseGithubRepositoryUrl } from '@backstage-gitops/plugin-gitops-node';

/** Options of {@link PromotionOwnership}. */
export interface PromotionOwnershipOptions {
  catalog: CatalogService;
  auth: AuthService;
  userInfo: UserInfoService;
  /** `gitops.promotion.releaseOwners`: entity refs of users or groups with the cross-team right. */
  releaseOwners: string[];
}

/**
 * Binds a promotion to what the platform controls rather than to the entity's own annotations,
 * which anyone who registers an entity writes:
 *
 * - only a signed-in user promotes (a service principal has no owner to check);
 * - an entity whose annotations are refused (catch-all selector, too many Applications) or whose
 *   Applications another owner's entity claims too is not promotable;
 * - every file a promotion edits lies in the GitOps repository named by the `gitops/repo-url`
 *   annotation of the Group owning the entity (Groups come from the org catalog), unless the
 *   user is a release owner.
 */
export class PromotionOwnership {
  readonly #options: PromotionOwnershipOptions;

  constructor(options: PromotionOwnershipOptions) {
    this.#options = options;
  }

  /** The user's entity ref; a `NotAllowedError` for any other principal. */
  requireUser(credentials: BackstageCredentials): string {
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
      subject?: string;
    };
    if (principal.type !== 'user' || !principal.userEntityRef) {
      throw new NotAllowedError(
        `Promotions are made by signed-in users only; a ${
          principal.type
        } principal${
          principal.subject ? ` (${principal.subject})` : ''
        } cannot promote. Call on behalf of a user (e.g. the scaffolder's initiator credentials)`,
      );
    }
    return principal.userEntityRef;
  }

  /**
   * Refuses an entity whose state says its Applications are not reliably its own: an annotation
   * refused as a config error (`InputError`) or Applications claimed by another owner's entity.
   */
  checkState(state: EntityGitopsState): void {
    const refused = state.errors.find(
      e => e.kind === 'config' && e.source.startsWith('annotation:'),
    );
    if (refused) {
      throw new InputError(
        `${state.entityRef} cannot be promoted: ${refused.message}`,
      );
    }
    const claimed = state.errors.find(e => e.source.startsWith('claim:'));
    if (claimed) {
      throw new NotAllowedError(
        `${state.entityRef} cannot be promoted: ${claimed.message}`,
      );
    }
  }

  /**
   * Refuses (`NotAllowedError`) a plan that edits a file outside the GitOps repository of the
   * entity's owner Group, unless the user is a release owner. Checked before anything is written.
   */
  async checkPlan(
    plan: PromotionPlan,
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const edits = plan.waves.flatMap(w => w.edits);
    if (edits.length === 0 || (await this.isReleaseOwner(credentials))) {
      return;
    }
    const entityRef = stringifyEntityRef(entity);
    const owner = entity.spec?.owner
      ? stringifyEntityRef(
          parseEntityRef(String(entity.spec.owner), {
            defaultKind: 'group',
            defaultNamespace: entity.metadata.namespace ?? 'default',
          }),
        )
      : undefined;
    const group =
      owner && parseEntityRef(owner).kind === 'group'
        ? await this.#options.catalog.getEntityByRef(owner, {
            credentials: await this.#options.auth.getOwnServiceCredentials(),
          })
        : undefined;
    const repoUrl = group?.metadata.annotations?.[ANNOTATION_GITOPS_REPO_URL];
    if (!owner || !group || !repoUrl) {
      throw new NotAllowedError(
        `${entityRef} cannot be promoted: promotions only edit the GitOps repository of the owning Group, named by its ${ANNOTATION_GITOPS_REPO_URL} annotation, and ${
          !owner || !group
            ? `its owner ${owner ?? '(none)'} is not a Group in the catalog`
            : `${owner} has no ${ANNOTATION_GITOPS_REPO_URL} annotation`
        }; set spec.owner to a Group and annotate the Group in the org catalog, or ask a release owner to promote`,
      );
    }
    const allowed = repositoryKey(
      repoUrl,
      `${owner}'s ${ANNOTATION_GITOPS_REPO_URL}`,
    );
    const foreign = [
      ...new Set(
        edits
          .filter(e => repositoryKey(e.repoUrl, e.repoUrl) !== allowed)
          .map(e => `${e.path} in ${e.repoUrl}`),
      ),
    ];
    if (foreign.length > 0) {
      throw new NotAllowedError(
        `${entityRef} cannot be promoted: it would edit ${foreign.join(
          ', ',
        )}, outside ${repoUrl}, the GitOps repository of its owner ${owner} (${ANNOTATION_GITOPS_REPO_URL}); only release owners promote across teams. Check that the entity's Argo CD annotations select its own Applications`,
      );
    }
  }

  private async isReleaseOwner(
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    if (this.#options.releaseOwners.length === 0) return false;
    const info = await this.#options.userInfo.getUserInfo(credentials);
    return isReleaseOwner(
      [info.userEntityRef, ...info.ownershipEntityRefs],
      this.#options.releaseOwners,
    );
  }
}

/** `host/owner/repo`, lower case: how GitHub tells repositories apart. */
function repositoryKey(url: string, subject: string): string {
  try {
    const { host, owner, repo } = parseGithubRepositoryUrl(url.trim());
    return `${host}/${owner}/${repo}`.toLocaleLowerCase('en-US');
  } catch (error) {
    throw new InputError(`${subject} is not a repository URL: ${url}`);
  }
}
