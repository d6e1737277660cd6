import { InputError } from '@backstage/errors';
import { codeLines } from './readmeBlocks';

const START = 'backend.start();';

/** The file a snippet belongs in, from its first line: `// packages/backend/src/index.ts`. */
export function snippetFile(block: string): string {
  const match = /^\/\/ (\S+\.tsx?)\s*$/m.exec(block.split('\n')[0]);
  if (!match) {
    throw new InputError(
      `README snippet "${
        block.split('\n')[0]
      }" does not start with a "// <file>" comment naming the file it belongs in`,
    );
  }
  return match[1];
}

/**
 * A backend's `index.ts` with the statements of README's backend snippet added before
 * `backend.start();`, where a create-app backend adds its features.
 */
export function addBackendFeatures(indexSource: string, block: string): string {
  const at = indexSource.lastIndexOf(START);
  if (at < 0) {
    throw new InputError(
      `The backend's index.ts has no "${START}" to add the README's features before`,
    );
  }
  const statements = codeLines(block).join('\n');
  if (!statements.includes('backend.add(')) {
    throw new InputError(
      "README's backend snippet has no backend.add(...) statement",
    );
  }
  return `${indexSource.slice(0, at)}${statements}\n\n${indexSource.slice(at)}`;
}
