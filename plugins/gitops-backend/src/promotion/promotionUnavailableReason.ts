import { Config } from '@backstage/config';
import { PromotionConfig } from '@backstage-gitops/plugin-gitops-node';

/**
 * Why no promotion can be made through this backend, or undefined when promotions may be made.
 * With the permission framework disabled every `authorize` call is allowed, so every signed-in
 * user could promote every entity: promotion is then off unless the config accepts exactly that.
 */
export function promotionUnavailableReason(
  config: Config,
  promotion: Pick<PromotionConfig, 'allowWithoutPermissions'>,
): string | undefined {
  if (
    config.getOptionalBoolean('permission.enabled') === true ||
    promotion.allowWithoutPermissions
  ) {
    return undefined;
  }
  return 'Promotion is off because the permission framework is disabled, which would let every signed-in user promote every entity. Set permission.enabled: true with a permission policy, or set gitops.promotion.allowWithoutPermissions: true to accept promotions without permission checks';
}
