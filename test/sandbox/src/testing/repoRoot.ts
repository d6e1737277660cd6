import fs from 'node:fs';
import path from 'node:path';

/** The nearest ancestor of the working directory with a workspaces package.json. */
export function repoRoot(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      fs.existsSync(manifest) &&
      JSON.parse(fs.readFileSync(manifest, 'utf8')).workspaces
    ) {
      return dir;
    }
    if (path.dirname(dir) === dir) return process.cwd();
  }
}
