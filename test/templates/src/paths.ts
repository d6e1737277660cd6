import { resolvePackagePath } from '@backstage/backend-plugin-api';
import path from 'node:path';

/** Root of the monorepo. */
export const repoRoot = resolvePackagePath(
  '@internal/gitops-template-tests',
  '../..',
);
/** The gitops-service software template. */
export const templateDir = path.join(repoRoot, 'templates/gitops-service');
/** The golden-path chart, as the platform team maintains it. */
export const chartDir = path.join(templateDir, 'charts/golden-path');
