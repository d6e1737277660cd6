/** Kubernetes label selectors: `=`, `==`, `!=`, `in`, `notin`, `key` (exists) and `!key`. */
export type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type Labels = Record<string, string> | undefined;

export class LabelSelectorError extends Error {}

function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(Boolean);
}

const KEY =
  /^([a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;

function checkKey(key: string): string {
  if (!KEY.test(key))
    throw new LabelSelectorError(`invalid label key "${key}"`);
  return key;
}

export function parseLabelSelector(
  selector: string | null | undefined,
): Requirement[] {
  if (!selector) return [];
  return splitTopLevel(selector).map(term => {
    const setMatch = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(term);
    if (setMatch) {
      const values = setMatch[3]
        .split(',')
        .map(v => v.trim())
        .filter(Boolean);
      return {
        key: checkKey(setMatch[1]),
        op: setMatch[2] as 'in' | 'notin',
        values,
      };
    }
    const neq = /^([^!=\s]+)\s*!=\s*(\S*)$/.exec(term);
    if (neq) return { key: checkKey(neq[1]), op: 'neq', value: neq[2] };
    const eq = /^([^!=\s]+)\s*==?\s*(\S*)$/.exec(term);
    if (eq) return { key: checkKey(eq[1]), op: 'eq', value: eq[2] };
    const notExists = /^!\s*(\S+)$/.exec(term);
    if (notExists) return { key: checkKey(notExists[1]), op: 'notexists' };
    if (/^\S+$/.test(term)) return { key: checkKey(term), op: 'exists' };
    throw new LabelSelectorError(`unable to parse requirement: "${term}"`);
  });
}

export function matchesLabels(
  requirements: Requirement[],
  labels: Labels,
): boolean {
  for (const req of requirements) {
    const has =
      labels !== undefined &&
      Object.prototype.hasOwnProperty.call(labels, req.key);
    const value = has ? labels![req.key] : undefined;
    switch (req.op) {
      case 'eq':
        if (value !== req.value) return false;
        break;
      case 'neq':
        if (value === req.value) return false;
        break;
      case 'in':
        if (!has || !req.values.includes(value!)) return false;
        break;
      case 'notin':
        if (has && req.values.includes(value!)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case 'notexists':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
