import { parse } from 'yaml';
import { SlimSource } from './types';

/**
 * `helm.parameters` and inline Helm values (`helm.valuesObject`, else `helm.values`) beyond this
 * JSON size together are not kept, so the projection stays within its budget; the source says
 * they were omitted.
 */
export const MAX_INLINE_VALUES_BYTES = 256;

type Obj = Record<string, any>;

const isObject = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function inlineValues(helm: Obj, field: string): Obj | 'too large' | undefined {
  if (helm.valuesObject !== undefined && helm.valuesObject !== null) {
    if (!isObject(helm.valuesObject)) {
      throw new Error(`${field}.helm.valuesObject is not an object`);
    }
    return helm.valuesObject;
  }
  if (typeof helm.values !== 'string' || helm.values.trim() === '') {
    return undefined;
  }
  if (helm.values.length > MAX_INLINE_VALUES_BYTES * 4) {
    // not parsed at all: it could not be kept anyway
    return 'too large';
  }
  try {
    const parsed = parse(helm.values);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    throw new Error(`${field}.helm.values is not YAML`);
  }
}

/**
 * The Helm settings of a source that decide which value Helm renders: `parameters`,
 * `fileParameters`, inline
 * values (`valuesObject` over `values`, as Argo CD merges them) and `ignoreMissingValueFiles`.
 */
export function projectHelm(helm: Obj, field: string, slim: SlimSource): void {
  if (helm.ignoreMissingValueFiles === true) {
    slim.ignoreMissingValueFiles = true;
  }
  if (Array.isArray(helm.parameters)) {
    const parameters = helm.parameters
      .filter(p => isObject(p) && typeof p.name === 'string')
      .map(p => ({
        name: String(p.name),
        value: String(p.value ?? ''),
        ...(p.forceString === true ? { forceString: true } : {}),
      }));
    if (parameters.length > 0) slim.helmParameters = parameters;
  } else if (helm.parameters !== undefined && helm.parameters !== null) {
    throw new Error(`${field}.helm.parameters is not a list`);
  }
  if (Array.isArray(helm.fileParameters)) {
    const fileParameters = helm.fileParameters
      .filter(
        p =>
          isObject(p) &&
          typeof p.name === 'string' &&
          typeof p.path === 'string',
      )
      .map(p => ({ name: String(p.name), path: String(p.path) }));
    if (fileParameters.length > 0) slim.helmFileParameters = fileParameters;
  } else if (
    helm.fileParameters !== undefined &&
    helm.fileParameters !== null
  ) {
    throw new Error(`${field}.helm.fileParameters is not a list`);
  }
  const values = inlineValues(helm, field);
  if (values === 'too large') {
    slim.helmOverridesOmitted = true;
  } else if (values) {
    slim.helmValues = values;
  }
  const size = JSON.stringify([
    slim.helmParameters,
    slim.helmFileParameters,
    slim.helmValues,
  ]).length;
  if (size > MAX_INLINE_VALUES_BYTES) {
    slim.helmOverridesOmitted = true;
  }
  if (slim.helmOverridesOmitted) {
    delete slim.helmParameters;
    delete slim.helmFileParameters;
    delete slim.helmValues;
  }
}
