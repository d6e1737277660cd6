import { builtinVersionLocators, VersionLocators } from '../locators';
import { PromotionDeps } from './types';

// writes take the key from the recorded locator, so the built-ins' read key does not matter here
const builtins = new VersionLocators(
  builtinVersionLocators({ helmValuesKey: 'image.tag' }),
);

/** The version locators of a promotion: those of its deps, else the built-in ones. */
export function locatorsOf(deps: Pick<PromotionDeps, 'locators'>) {
  return deps.locators ?? builtins;
}
