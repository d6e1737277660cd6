import { spawn } from 'node:child_process';
import type { Response } from '../util/http';

/**
 * Streams a gzip tarball of `sha` with one top-level folder
 * (`<owner>-<repo>-<sha7>/`), as GitHub's /tarball endpoint does.
 */
export function sendTarball(
  res: Response,
  gitdir: string,
  owner: string,
  repo: string,
  sha: string,
): Promise<void> {
  const folder = `${owner}-${repo}-${sha.slice(0, 7)}`;
  return new Promise(resolve => {
    const child = spawn(
      'git',
      [
        '--git-dir',
        gitdir,
        'archive',
        '--format=tar.gz',
        `--prefix=${folder}/`,
        sha,
      ],
      {
        env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', HOME: gitdir },
      },
    );
    res.writeHead(200, {
      'content-type': 'application/x-gzip',
      'content-disposition': `attachment; filename=${folder}.tar.gz`,
    });
    child.stdout.pipe(res);
    child.on('close', () => resolve());
  });
}
