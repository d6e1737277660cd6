/** Kubernetes `Status` bodies as the apiserver returns them. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: Record<string, unknown>;
  code: number;
}

export class KubeError extends Error {
  constructor(readonly status: KubeStatus) {
    super(status.message);
  }
}

export function kubeStatus(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata,
    status: code < 400 ? 'Success' : 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

const groupResource = (plural: string) => `${plural}.argoproj.io`;

export const errors = {
  unauthorized: () => kubeStatus(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (user: string, verb: string, plural: string, namespace?: string) =>
    kubeStatus(
      403,
      'Forbidden',
      `${groupResource(
        plural,
      )} is forbidden: User "${user}" cannot ${verb} resource "${plural}" in API group "argoproj.io" ${
        namespace ? `in the namespace "${namespace}"` : 'at the cluster scope'
      }`,
      { group: 'argoproj.io', kind: plural },
    ),
  notFound: (plural: string, name: string) =>
    kubeStatus(
      404,
      'NotFound',
      `${groupResource(plural)} "${name}" not found`,
      {
        name,
        group: 'argoproj.io',
        kind: plural,
      },
    ),
  pathNotFound: () =>
    kubeStatus(
      404,
      'NotFound',
      'the server could not find the requested resource',
      {},
    ),
  alreadyExists: (plural: string, name: string) =>
    kubeStatus(
      409,
      'AlreadyExists',
      `${groupResource(plural)} "${name}" already exists`,
      {
        name,
        group: 'argoproj.io',
        kind: plural,
      },
    ),
  conflict: (plural: string, name: string) =>
    kubeStatus(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${groupResource(
        plural,
      )} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, group: 'argoproj.io', kind: plural },
    ),
  invalid: (
    kind: string,
    name: string,
    causes: { field: string; message: string }[],
  ) =>
    kubeStatus(
      422,
      'Invalid',
      `${kind}.argoproj.io "${name}" is invalid: ${causes
        .map(c => `${c.field}: ${c.message}`)
        .join(', ')}`,
      {
        name,
        group: 'argoproj.io',
        kind,
        causes: causes.map(c => ({
          reason: 'FieldValueInvalid',
          message: c.message,
          field: c.field,
        })),
      },
    ),
  badRequest: (message: string) => kubeStatus(400, 'BadRequest', message),
  invalidListOptions: (cause: string) =>
    kubeStatus(
      422,
      'Invalid',
      `ListOptions.meta.k8s.io "" is invalid: ${cause}`,
      {
        group: 'meta.k8s.io',
        kind: 'ListOptions',
      },
    ),
  gone: (message: string) => kubeStatus(410, 'Expired', message),
  methodNotAllowed: () =>
    kubeStatus(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    ),
  unsupportedMediaType: (type: string) =>
    kubeStatus(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json (got ${type})`,
    ),
  serverError: (code: number) =>
    kubeStatus(
      code,
      code === 503 ? 'ServiceUnavailable' : 'InternalError',
      code === 503
        ? 'the server is currently unable to handle the request'
        : 'an error on the server ("") has prevented the request from succeeding',
    ),
};
