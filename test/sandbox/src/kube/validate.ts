import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';

export interface FieldCause {
  field: string;
  message: string;
}

const models: Record<string, new (data: any) => { validate(): void }> = {
  applications: Application as any,
  applicationsets: ApplicationSet as any,
  appprojects: AppProject as any,
};

/** Validates an object against the Argo CD CRD schema; returns the causes, empty when valid. */
export function validateObject(plural: string, obj: unknown): FieldCause[] {
  const Model = models[plural];
  if (!Model) return [];
  try {
    new Model(obj).validate();
    return [];
  } catch (error) {
    const errs = (error as { errors?: { instancePath?: string; message?: string; params?: any }[] }).errors;
    if (!errs?.length) return [{ field: '<root>', message: String((error as Error).message) }];
    return errs.map(e => {
      const field = (e.instancePath ?? '').split('/').filter(Boolean).join('.') || '<root>';
      const missing = e.params?.missingProperty ? `.${e.params.missingProperty}` : '';
      return {
        field: `${field === '<root>' && missing ? '' : field}${missing}`.replace(/^\./, ''),
        message: e.params?.missingProperty ? 'Required value' : `Invalid value: ${e.message}`,
      };
    });
  }
}
