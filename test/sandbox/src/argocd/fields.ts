/**
 * Argo CD's `fields` query parameter: a comma-separated list of dot paths
 * (`items.metadata.name,items.status.sync.status`); the response keeps only
 * those paths. Arrays are traversed transparently.
 */
type FieldTree = { [key: string]: FieldTree | true };

export function parseFields(
  fields: string | string[] | null | undefined,
): FieldTree | undefined {
  let raw: string[] = [];
  if (Array.isArray(fields)) raw = fields;
  else if (fields) raw = [fields];
  const list = raw
    .flatMap(f => f.split(','))
    .map(f => f.trim())
    .filter(Boolean);
  if (!list.length) return undefined;
  const tree: FieldTree = {};
  for (const field of list) {
    let node = tree;
    const parts = field.split('.');
    parts.forEach((part, i) => {
      if (node[part] === true) return;
      if (i === parts.length - 1) node[part] = true;
      else node = (node[part] = (node[part] as FieldTree) ?? {}) as FieldTree;
    });
  }
  return tree;
}

export function applyFields(value: unknown, tree: FieldTree | true): unknown {
  if (tree === true || value === null || typeof value !== 'object')
    return value;
  if (Array.isArray(value)) return value.map(item => applyFields(item, tree));
  const result: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(tree)) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) result[key] = applyFields(child, sub);
  }
  return result;
}

/** Filters a response, always keeping `metadata.resourceVersion` of lists. */
export function filterResponse(
  body: Record<string, any>,
  fields: string | string[] | null | undefined,
): unknown {
  const tree = parseFields(fields);
  if (!tree) return body;
  const filtered = applyFields(body, tree) as Record<string, any>;
  if (body.metadata?.resourceVersion !== undefined) {
    filtered.metadata = {
      ...(filtered.metadata ?? {}),
      resourceVersion: body.metadata.resourceVersion,
    };
  }
  return filtered;
}
