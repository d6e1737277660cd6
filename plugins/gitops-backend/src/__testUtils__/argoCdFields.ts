/**
 * Argo CD's `fields` filter of the Application list, applied to one Application (test helper):
 * only the listed dot paths remain, arrays traversed. Paths start with `items.` as in the list
 * call; the list's own `metadata.resourceVersion` is not an Application's and is skipped.
 */
export function applyListFields(application: unknown, fields: string): unknown {
  type Tree = { [key: string]: Tree | true };
  const tree: Tree = {};
  for (const field of fields.split(',')) {
    if (!field.startsWith('items.')) continue;
    let node = tree;
    const parts = field.slice('items.'.length).split('.');
    parts.forEach((part, i) => {
      if (node[part] === true) return;
      if (i === parts.length - 1) node[part] = true;
      else node = (node[part] = (node[part] as Tree) ?? {}) as Tree;
    });
  }
  const apply = (value: unknown, sub: Tree | true): unknown => {
    if (sub === true || value === null || typeof value !== 'object') {
      return value;
    }
    if (Array.isArray(value)) return value.map(item => apply(item, sub));
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(sub)) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) result[key] = apply(v, child);
    }
    return result;
  };
  return apply(application, tree);
}
