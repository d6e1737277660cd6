/** JSON merge patch (RFC 7386) and JSON patch (RFC 6902), never mutating their input. */

const isObject = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, any> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

export class PatchError extends Error {}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw new PatchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(doc: any, path: string[]): any {
  let current = doc;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !(key in current)) {
      throw new PatchError(`path /${path.join('/')} does not exist`);
    }
    current = current[key];
  }
  return current;
}

export function jsonPatch(doc: unknown, ops: JsonPatchOp[]): unknown {
  if (!Array.isArray(ops)) throw new PatchError('json patch must be an array');
  let root: any = structuredClone(doc);
  const apply = (path: string[], fn: (parent: any, key: string) => void) => {
    const parent = getAt(root, path.slice(0, -1));
    fn(parent, path[path.length - 1]);
  };
  for (const op of ops) {
    const path = parsePointer(op.path);
    switch (op.op) {
      case 'add':
      case 'replace':
        if (path.length === 0) {
          root = structuredClone(op.value);
          break;
        }
        apply(path, (parent, key) => {
          if (Array.isArray(parent)) {
            const index = key === '-' ? parent.length : Number(key);
            if (op.op === 'add')
              parent.splice(index, 0, structuredClone(op.value));
            else parent[index] = structuredClone(op.value);
          } else {
            if (op.op === 'replace' && !(key in parent)) {
              throw new PatchError(`path ${op.path} does not exist`);
            }
            parent[key] = structuredClone(op.value);
          }
        });
        break;
      case 'remove':
        apply(path, (parent, key) => {
          if (!(key in parent))
            throw new PatchError(`path ${op.path} does not exist`);
          if (Array.isArray(parent)) parent.splice(Number(key), 1);
          else delete parent[key];
        });
        break;
      case 'move':
      case 'copy': {
        const from = parsePointer(op.from ?? '');
        const value = structuredClone(getAt(root, from));
        if (op.op === 'move') {
          apply(from, (parent, key) => {
            if (Array.isArray(parent)) parent.splice(Number(key), 1);
            else delete parent[key];
          });
        }
        root = jsonPatch(root, [{ op: 'add', path: op.path, value }]);
        break;
      }
      case 'test':
        if (JSON.stringify(getAt(root, path)) !== JSON.stringify(op.value)) {
          throw new PatchError(`test operation failed at ${op.path}`);
        }
        break;
      default:
        throw new PatchError(`unknown operation ${(op as JsonPatchOp).op}`);
    }
  }
  return root;
}
