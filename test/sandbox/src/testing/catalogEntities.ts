import { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import type { SandboxEndpoints } from './portalConfig';
import { repoRoot } from './repoRoot';

/** The GitHub web origin the example catalog names (the sandbox's default port). */
const EXAMPLE_GITHUB_ORIGIN = 'http://localhost:7480';

/**
 * The portal's example catalog (`examples/entities.yaml` and `examples/org.yaml`) for a sandbox
 * started on any ports: each Group's `gitops/repo-url` is re-pointed from the default GitHub
 * stand-in origin to this sandbox's, so the owner Group's repository check of a promotion holds
 * as it does in the portal.
 */
export function sandboxCatalogEntities(sandbox: SandboxEndpoints): Entity[] {
  const origin = new URL(sandbox.urls.githubWeb).origin;
  return ['examples/entities.yaml', 'examples/org.yaml'].flatMap(file =>
    yaml
      .parseAllDocuments(fs.readFileSync(path.join(repoRoot(), file), 'utf8'))
      .map(doc => doc.toJS() as Entity)
      .filter(Boolean)
      .map(entity => {
        const annotations = entity.metadata.annotations;
        const url = annotations?.['gitops/repo-url'];
        if (!url?.startsWith(EXAMPLE_GITHUB_ORIGIN)) return entity;
        return {
          ...entity,
          metadata: {
            ...entity.metadata,
            annotations: {
              ...annotations,
              'gitops/repo-url':
                origin + url.slice(EXAMPLE_GITHUB_ORIGIN.length),
            },
          },
        };
      }),
  );
}
