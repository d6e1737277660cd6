import { InputError } from '@backstage/errors';

/**
 * Picks the one item of a sequence whose keys have the given values (`true`: the key is present),
 * e.g. the Kustomize image entry `{ where: { name: 'ghcr.io/acme/worker' } }`.
 *
 * @public
 */
export interface YamlSequenceMatch {
  where: Record<string, string | true>;
}

/** One step of a {@link YamlPath}: a map key, a sequence index or a sequence match. @public */
export type YamlPathSegment = string | number | YamlSequenceMatch;

/** Where a scalar sits in a YAML document, from the root. @public */
export type YamlPath = YamlPathSegment[];

/** Renders a path for messages, e.g. `images[name=ghcr.io/acme/worker].newTag`. @public */
export function formatYamlPath(path: YamlPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'string') {
      text += text ? `.${segment}` : segment;
    } else if (typeof segment === 'number') {
      text += `[${segment}]`;
    } else {
      const conditions = Object.entries(segment.where).map(([key, value]) =>
        value === true ? key : `${key}=${value}`,
      );
      text += `[${conditions.join(',')}]`;
    }
  }
  return text || '(root)';
}

/**
 * Parses a dotted key such as `image.tag` or `deployments[0].image.tag` into a path.
 *
 * @public
 */
export function parseYamlKey(key: string): YamlPath {
  const path: YamlPath = [];
  for (const part of key.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match || (!match[1] && !match[2])) {
      throw new InputError(`Invalid version key ${JSON.stringify(key)}`);
    }
    if (match[1]) {
      path.push(match[1]);
    }
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) {
      path.push(Number(index[1]));
    }
  }
  return path;
}
