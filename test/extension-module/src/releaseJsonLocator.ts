import type { GitopsVersionLocator } from '@backstage-gitops/plugin-gitops-node';
import { ConflictError } from '@backstage/errors';

const FILE_NAME = 'release.json';
const VERSION_FIELD = /("version"\s*:\s*")([^"\\]*)"/g;

/**
 * A version in `release.json` next to an Application's manifests: `{ "version": "1.2.0" }`.
 * Reads it from the parsed file and rewrites only the string's characters.
 */
export function releaseJsonLocator(): GitopsVersionLocator {
  return {
    type: 'release-json',
    versionKind: 'image',
    async read({ sources, readFile }) {
      const main = sources.find(s => s.path);
      if (!main) return undefined;
      const path = `${main.path!.replace(/\/$/, '')}/${FILE_NAME}`;
      const file = await readFile(main, path, { optional: true });
      const version = (file?.document as { version?: unknown })?.version;
      if (!file || typeof version !== 'string') return undefined;
      return {
        version,
        source: {
          repoUrl: main.repoURL,
          path,
          ref: main.targetRevision ?? 'HEAD',
          blobSha: file.blobSha,
          url: file.url,
          locator: { type: 'release-json' },
        },
      };
    },
    find(content, { path }) {
      const matches = [...content.matchAll(VERSION_FIELD)];
      if (matches.length !== 1) {
        throw new ConflictError(
          `${path} must have exactly one "version" string, found ${matches.length}`,
        );
      }
      const [match] = matches;
      const start = match.index! + match[1].length;
      const end = start + match[2].length;
      return {
        value: match[2],
        field: 'version',
        line: content.slice(0, start).split('\n').length,
        replace: value =>
          `${content.slice(0, start)}${value}${content.slice(end)}`,
      };
    },
    describe: () => `"version" of ${FILE_NAME}`,
  };
}
