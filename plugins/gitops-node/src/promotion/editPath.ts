import { ConflictError } from '@backstage/errors';

// Letters, digits and . _ - + @ in components; everything else (backslashes, NUL, newlines,
// spaces, quotes) has no place in a values file path an Application points at.
const SAFE_PATH = /^[A-Za-z0-9._+@-]+(\/[A-Za-z0-9._+@-]+)*$/;

function pathProblem(path: string): string | undefined {
  if (!SAFE_PATH.test(path)) {
    return 'only letters, digits, . _ - + @ and / separating non-empty segments are allowed';
  }
  const segments = path.split('/');
  if (segments.some(part => part === '..' || part === '.')) {
    return 'it has a . or .. segment';
  }
  if (segments.some(part => /^\.git(hub)?$/i.test(part))) {
    return 'files under .git or .github (CI workflows, repository settings) are never edited';
  }
  return undefined;
}

/**
 * Refuses (409) a file path a promotion would edit unless it is a plain path inside the
 * repository, outside `.git` and `.github`.
 */
export function checkEditPath(path: string) {
  const problem = pathProblem(path);
  if (problem) {
    throw new ConflictError(
      `Refusing to edit ${JSON.stringify(
        path,
      )}: not a plain path inside the repository (${problem})`,
    );
  }
}
