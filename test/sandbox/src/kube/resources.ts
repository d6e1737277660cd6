/** The argoproj.io/v1alpha1 resources the Kubernetes stand-in serves. */
export interface ResourceType {
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  shortNames: string[];
}

export const ARGO_GROUP = 'argoproj.io';
export const ARGO_VERSION = 'v1alpha1';
export const ARGO_API_VERSION = `${ARGO_GROUP}/${ARGO_VERSION}`;

export const RESOURCES: Record<string, ResourceType> = {
  applications: {
    plural: 'applications',
    singular: 'application',
    kind: 'Application',
    listKind: 'ApplicationList',
    shortNames: ['app', 'apps'],
  },
  applicationsets: {
    plural: 'applicationsets',
    singular: 'applicationset',
    kind: 'ApplicationSet',
    listKind: 'ApplicationSetList',
    shortNames: ['appset', 'appsets'],
  },
  appprojects: {
    plural: 'appprojects',
    singular: 'appproject',
    kind: 'AppProject',
    listKind: 'AppProjectList',
    shortNames: ['appproj', 'appprojs'],
  },
};
