import type { Application as ApplicationModel } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { requireEsmOnly } from '../util/esm';

type Model = new (data: any) => { validate(): void };
const load = (name: string): Model =>
  requireEsmOnly<Record<string, Model>>(
    '@kubernetes-models/argo-cd',
    `argoproj.io/v1alpha1/${name}`,
  )[name];

export interface FieldCause {
  field: string;
  message: string;
}

let models: Record<string, Model> | undefined;

function model(plural: string): Model | undefined {
  models ??= {
    applications: load('Application') as unknown as typeof ApplicationModel &
      Model,
    applicationsets: load('ApplicationSet'),
    appprojects: load('AppProject'),
  };
  return models[plural];
}

/** Validates an object against the Argo CD CRD schema; returns the causes, empty when valid. */
export function validateObject(plural: string, obj: unknown): FieldCause[] {
  const Model = model(plural);
  if (!Model) return [];
  try {
    new Model(obj).validate();
    return [];
  } catch (error) {
    const errs = (
      error as {
        errors?: { instancePath?: string; message?: string; params?: any }[];
      }
    ).errors;
    if (!errs?.length)
      return [{ field: '<root>', message: String((error as Error).message) }];
    return errs.map(e => {
      const field =
        (e.instancePath ?? '').split('/').filter(Boolean).join('.') || '<root>';
      const missing = e.params?.missingProperty
        ? `.${e.params.missingProperty}`
        : '';
      return {
        field: `${
          field === '<root>' && missing ? '' : field
        }${missing}`.replace(/^\./, ''),
        message: e.params?.missingProperty
          ? 'Required value'
          : `Invalid value: ${e.message}`,
      };
    });
  }
}
