import { ConflictError } from '@backstage/errors';
import {
  Alias,
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Node,
  parseAllDocuments,
  Scalar,
  visit,
} from 'yaml';
import { formatYamlPath, YamlPath, YamlPathSegment } from './yamlPath';

/** Quoting style of a located scalar. @public */
export type YamlScalarStyle = 'plain' | 'single-quoted' | 'double-quoted';

/** A scalar found in a YAML file, with its exact place in the source text. @public */
export interface YamlScalarLocation {
  /** Index of the document in a multi-document file. */
  documentIndex: number;
  /** The value as written (for plain scalars, the source text, so `1.10` stays `1.10`). */
  value: string;
  style: YamlScalarStyle;
  /** Offsets of the value in the source, excluding anchor, tag, quotes' surroundings and comments. */
  range: [start: number, end: number];
  /** 1-based line of the value. */
  line: number;
  /** The anchor the value was reached through, when the path crosses an alias or merge key. */
  viaAnchor?: string;
}

type Resolved = { node: Node | null; aliases: Alias[] };

// Alias.resolve(doc) walks the whole document on every call, which made a file of many aliases
// take seconds; one walk per document maps every alias to its anchor (the last one before it).
const aliasTargets = new WeakMap<Document, Map<Alias, Node>>();

function resolveAlias(doc: Document, alias: Alias): Node | undefined {
  let targets = aliasTargets.get(doc);
  if (!targets) {
    const found = new Map<Alias, Node>();
    const latest = new Map<string, Node>();
    visit(doc, {
      Node(_key, node) {
        if (isAlias(node)) {
          const target = latest.get(node.source);
          if (target) found.set(node, target);
        } else if (node.anchor) {
          latest.set(node.anchor, node);
        }
      },
    });
    aliasTargets.set(doc, found);
    targets = found;
  }
  return targets.get(alias);
}

/**
 * Finds the one scalar a path points at, across all documents of a file. Refuses (409) when the
 * path matches nothing, matches more than once, ends on something other than a single-line
 * scalar, or crosses an anchor that other places share, so an edit there would change more than
 * the one value.
 *
 * @public
 */
export function findYamlScalar(
  source: string,
  path: YamlPath,
  fileName = 'the file',
): YamlScalarLocation {
  const location = findOptionalYamlScalar(source, path, fileName);
  if (!location) {
    throw new ConflictError(
      `${fileName} has no ${formatYamlPath(
        path,
      )}; the key is not created automatically, add it by hand first`,
    );
  }
  return location;
}

/**
 * Like {@link findYamlScalar}, but returns `undefined` when the path matches nothing.
 *
 * @public
 */
export function findOptionalYamlScalar(
  source: string,
  path: YamlPath,
  fileName = 'the file',
): YamlScalarLocation | undefined {
  const documents = parseAllDocuments(source, { keepSourceTokens: true });
  const found: Array<{ doc: Document; index: number; hit: Resolved }> = [];
  documents.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      throw new ConflictError(
        `${fileName} is not valid YAML (document ${index + 1}): ${
          doc.errors[0].message
        }`,
      );
    }
    for (const hit of resolvePath(doc, path, fileName)) {
      found.push({ doc, index, hit });
    }
  });
  const where = `${formatYamlPath(path)} in ${fileName}`;
  if (found.length === 0) {
    return undefined;
  }
  const distinct = new Set(found.map(f => f.hit.node));
  if (distinct.size > 1) {
    throw new ConflictError(
      `${where} is ambiguous: it matches ${distinct.size} values; make the key unique`,
    );
  }
  const { doc, index, hit } = found[0];
  const node = hit.node;
  if (!isScalar(node) || !node.range) {
    throw new ConflictError(
      `${where} is not a single value (found a ${describe(node)})`,
    );
  }
  checkSharing(doc, node, hit.aliases, where);
  return locate(source, node, index, hit.aliases, where);
}

function resolvePath(
  doc: Document,
  path: YamlPath,
  fileName: string,
): Resolved[] {
  let current: Resolved[] = [
    { node: doc.contents as Node | null, aliases: [] },
  ];
  for (const segment of path) {
    const next: Resolved[] = [];
    for (const entry of current) {
      const { node, aliases } = deref(doc, entry, fileName);
      for (const child of step(doc, node, segment, fileName)) {
        next.push({
          node: child.node,
          aliases: [...aliases, ...child.aliases],
        });
      }
    }
    current = next;
  }
  return current.map(entry => deref(doc, entry, fileName));
}

function deref(doc: Document, entry: Resolved, fileName: string): Resolved {
  let { node } = entry;
  const aliases = [...entry.aliases];
  while (isAlias(node)) {
    aliases.push(node);
    const target = resolveAlias(doc, node);
    if (!target) {
      throw new ConflictError(
        `${fileName} refers to an undefined anchor *${node.source}`,
      );
    }
    node = target;
  }
  return { node, aliases };
}

function step(
  doc: Document,
  node: Node | null,
  segment: YamlPathSegment,
  fileName: string,
): Resolved[] {
  if (typeof segment === 'string') {
    if (!isMap(node)) {
      return [];
    }
    const direct = node.items.filter(
      pair => isScalar(pair.key) && String(pair.key.value) === segment,
    );
    if (direct.length > 0) {
      return direct.map(pair => ({
        node: pair.value as Node | null,
        aliases: [],
      }));
    }
    // `<<: *base` merge keys: the value comes from the merged map
    const merged: Resolved[] = [];
    for (const pair of node.items) {
      if (isScalar(pair.key) && pair.key.value === '<<') {
        const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
        for (const item of sources) {
          const base = deref(
            doc,
            { node: item as Node, aliases: [] },
            fileName,
          );
          for (const child of step(doc, base.node, segment, fileName)) {
            merged.push({
              node: child.node,
              aliases: [...base.aliases, ...child.aliases],
            });
          }
        }
      }
    }
    return merged.slice(0, 1);
  }
  if (!isSeq(node)) {
    return [];
  }
  if (typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? [] : [{ node: item as Node, aliases: [] }];
  }
  return node.items
    .map(item => deref(doc, { node: item as Node, aliases: [] }, fileName))
    .filter(({ node: item }) =>
      Object.entries(segment.where).every(([key, expected]) => {
        if (!isMap(item)) {
          return false;
        }
        const value = item.get(key, true);
        if (value === undefined) {
          return false;
        }
        return (
          expected === true ||
          (isScalar(value) && String(value.value) === expected)
        );
      }),
    );
}

/**
 * An edit of a value reached through an alias changes every place sharing the anchor. That is
 * only the intended edit when the path's own alias is the anchor's sole use.
 */
function checkSharing(
  doc: Document,
  scalar: Scalar,
  pathAliases: Alias[],
  where: string,
) {
  const containers = new Set<unknown>([scalar]);
  visit(doc, {
    Scalar(_key, node, ancestors) {
      if (node === scalar) {
        for (const ancestor of ancestors) {
          containers.add(ancestor);
        }
        return visit.BREAK;
      }
      return undefined;
    },
  });
  const sharing: Alias[] = [];
  visit(doc, {
    Alias(_key, alias) {
      if (containers.has(resolveAlias(doc, alias))) {
        sharing.push(alias);
      }
    },
  });
  const others = sharing.filter(alias => !pathAliases.includes(alias));
  const definitionIsShared =
    pathAliases.length === 0 ? sharing.length > 0 : others.length > 0;
  if (definitionIsShared) {
    const anchors = [...new Set(sharing.map(alias => `&${alias.source}`))].join(
      ', ',
    );
    throw new ConflictError(
      `${where} is ambiguous: its value is shared through anchor ${anchors} with ${
        pathAliases.length === 0 ? sharing.length : others.length + 1
      } other place(s); changing it would change them too, so edit the file by hand`,
    );
  }
}

function locate(
  source: string,
  node: Scalar,
  documentIndex: number,
  aliases: Alias[],
  where: string,
): YamlScalarLocation {
  const [start, end] = node.range!;
  const text = source.slice(start, end);
  let style: YamlScalarStyle;
  let value: string;
  switch (node.type) {
    case Scalar.PLAIN:
      style = 'plain';
      value = text;
      break;
    case Scalar.QUOTE_SINGLE:
      style = 'single-quoted';
      value = String(node.value);
      break;
    case Scalar.QUOTE_DOUBLE:
      style = 'double-quoted';
      value = String(node.value);
      break;
    default:
      throw new ConflictError(
        `${where} is a block scalar; only single-line values can be edited`,
      );
  }
  if (/[\r\n]/.test(text)) {
    throw new ConflictError(
      `${where} spans several lines; only single-line values can be edited`,
    );
  }
  if (start === end) {
    throw new ConflictError(
      `${where} has no value; set an initial value by hand first`,
    );
  }
  const line = source.slice(0, start).split('\n').length;
  const viaAnchor =
    aliases.length > 0 ? aliases[aliases.length - 1].source : undefined;
  return { documentIndex, value, style, range: [start, end], line, viaAnchor };
}

function describe(node: Node | null): string {
  if (node === null) {
    return 'null';
  }
  if (isMap(node)) {
    return 'map';
  }
  if (isSeq(node)) {
    return 'sequence';
  }
  if (isPair(node)) {
    return 'pair';
  }
  return 'node';
}
