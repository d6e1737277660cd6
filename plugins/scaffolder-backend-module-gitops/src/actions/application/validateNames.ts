import { InputError } from '@backstage/errors';

/** Longest service name: leaves room for `-<cluster>` in Application names and pod name suffixes. */
export const SERVICE_NAME_MAX_LENGTH = 40;

// A DNS-1035 label: Kubernetes Service names must also start with a letter.
const SERVICE_NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
// What `docker tag` accepts.
const IMAGE_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const MOVING_TAGS = new Set(['latest', 'main', 'master', 'stable']);
const IMAGE_REPOSITORY_PATTERN =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/**
 * Throws an InputError unless the name can be a service, a namespace, a Helm release and the
 * prefix of Argo CD Application names.
 */
export function validateServiceName(name: string): void {
  if (name.length > SERVICE_NAME_MAX_LENGTH) {
    throw new InputError(
      `Invalid service name '${name}': at most ${SERVICE_NAME_MAX_LENGTH} characters, it has ${name.length}`,
    );
  }
  if (!SERVICE_NAME_PATTERN.test(name)) {
    throw new InputError(
      `Invalid service name '${name}': use lowercase letters, digits and '-', starting with a letter and ending with a letter or digit (e.g. checkout-api)`,
    );
  }
}

/** Throws an InputError unless the tag is a valid, immutable image tag. */
export function validateImageTag(tag: string): void {
  if (!IMAGE_TAG_PATTERN.test(tag)) {
    throw new InputError(
      `Invalid image tag '${tag}': use letters, digits, '_', '.' and '-' (e.g. 0.1.0 or a git sha)`,
    );
  }
  if (MOVING_TAGS.has(tag)) {
    throw new InputError(
      `Image tag '${tag}' moves between builds; use an immutable tag such as 0.1.0 or a git sha so every environment's desired version is exact`,
    );
  }
}

/** Throws an InputError unless the value is an image repository without a tag. */
export function validateImageRepository(repository: string): void {
  if (!IMAGE_REPOSITORY_PATTERN.test(repository)) {
    throw new InputError(
      `Invalid image repository '${repository}': expected e.g. ghcr.io/acme/checkout-api, lowercase and without a tag`,
    );
  }
}

/** Throws an InputError unless the value is a valid Argo CD project name. */
export function validateProjectName(project: string): void {
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(project)) {
    throw new InputError(
      `Invalid Argo CD project '${project}': expected a DNS-1123 subdomain such as team-payments`,
    );
  }
}
