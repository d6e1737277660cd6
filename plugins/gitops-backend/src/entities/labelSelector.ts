import { InputError } from '@backstage/errors';

/** One requirement of a Kubernetes label selector. */
export type LabelRequirement =
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

const SET = /^\s*([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)\s*$/;
const EQUALITY = /^\s*([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)\s*$/;
const EXISTS = /^\s*(!?)\s*([\w./-]+)\s*$/;

/**
 * Parses a Kubernetes label selector (`a=b,c!=d,e in (x,y),f,!g`) as the `argocd/app-selector`
 * annotation carries it. Throws an InputError naming the requirement it cannot read.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts
    .filter(part => part.trim())
    .map(part => {
      const set = SET.exec(part);
      if (set) {
        return {
          key: set[1],
          op: set[2] as 'in' | 'notin',
          values: set[3]
            .split(',')
            .map(v => v.trim())
            .filter(Boolean),
        };
      }
      const equality = EQUALITY.exec(part);
      if (equality) {
        return {
          key: equality[1],
          op: equality[2] === '!=' ? '!=' : '=',
          value: equality[3],
        };
      }
      const exists = EXISTS.exec(part);
      if (exists) {
        return { key: exists[2], op: exists[1] ? '!exists' : 'exists' };
      }
      throw new InputError(
        `Cannot read label selector requirement "${part.trim()}"`,
      );
    });
}

/** Whether labels satisfy every requirement. */
export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string>,
): boolean {
  return requirements.every(r => {
    const value = labels[r.key];
    switch (r.op) {
      case '=':
        return value === r.value;
      case '!=':
        return value !== r.value;
      case 'in':
        return value !== undefined && r.values.includes(value);
      case 'notin':
        return value === undefined || !r.values.includes(value);
      case 'exists':
        return value !== undefined;
      default:
        return value === undefined;
    }
  });
}
