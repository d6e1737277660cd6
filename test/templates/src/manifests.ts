import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import yaml from 'yaml';

/** A Kubernetes object as rendered. */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any;
  [key: string]: unknown;
};

const models: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'argoproj.io/v1alpha1/Application': Application,
};

/** Parses a multi-document YAML stream such as `helm template` prints. */
export function parseManifests(text: string): Manifest[] {
  return yaml
    .parseAllDocuments(text)
    .map(doc => doc.toJS())
    .filter(Boolean);
}

/**
 * Validates an object against the OpenAPI schema of its kind (Kubernetes 1.3x, Argo CD CRDs).
 * Throws for kinds the golden path does not expect, so a new kind gets a schema here first.
 */
export function validateManifest(manifest: Manifest): void {
  const Model = models[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) {
    throw new Error(
      `No schema for ${manifest.apiVersion} ${manifest.kind}; add it to test/templates/src/manifests.ts`,
    );
  }
  new Model(manifest).validate();
}
