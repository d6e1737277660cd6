/*
 * The steps of scripts/adopter-e2e.sh that read this repository and edit the new portal:
 *   packages                      the folders of the published packages, one a line
 *   prepare <portal> <tarballs>   check the portal's Backstage release; lockfile seed,
 *                                 resolutions, Yarn from corepack, app-config.local.yaml
 *                                 pointing at the sandbox
 *   gate-days <released-at>       the age gate of the portal's first install, in days
 *   wire <portal>                 README's install section: its yarn add commands and its
 *                                 backend snippet
 */
import { InputError } from '@backstage/errors';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { readInstallCommands } from './installCommands';
import { adopterPortalConfig } from './portalConfig';
import { withTarballResolutions } from './portalPackageJson';
import { packedPackage, publishedPackages } from './publishedPackages';
import { readMarkedBlock } from './readmeBlocks';
import { releaseAgeGateDays } from './releaseAgeGate';
import { addBackendFeatures, snippetFile } from './wireBackend';

// scripts/adopter-e2e.sh exports ROOT and runs this from test/adopter.
const repoRoot = process.env.ROOT ?? resolve(process.cwd(), '../..');

const readText = (path: string) => readFileSync(path, 'utf8');
const readJson = (path: string) => JSON.parse(readText(path));
const readYaml = (path: string) => parse(readText(path));

function prepare(portal: string, tarballs: string) {
  const wanted = readJson(join(repoRoot, 'backstage.json')).version;
  const created = readJson(join(portal, 'backstage.json')).version;
  if (created !== wanted) {
    throw new InputError(
      `create-app made a portal of Backstage ${created}, this repository is on ${wanted} (backstage.json); set CREATE_APP_VERSION in scripts/adopter-e2e.sh to the create-app of ${wanted}`,
    );
  }

  const packed = publishedPackages(repoRoot).map(p =>
    packedPackage(p, tarballs),
  );
  const packageJson = join(portal, 'package.json');
  writeFileSync(
    packageJson,
    `${JSON.stringify(
      withTarballResolutions(
        readJson(packageJson),
        readJson(join(repoRoot, 'package.json')),
        packed,
      ),
      null,
      2,
    )}\n`,
  );

  // This repository's lockfile seeds the portal's, as create-app seeds it from the release's (a
  // download CI cannot reach); `gate-days` keeps what the seed lacks to the release's time.
  copyFileSync(join(repoRoot, 'yarn.lock'), join(portal, 'yarn.lock'));

  // Yarn from corepack (packageManager), as ./dev provisions it, not the release create-app copies.
  const yarnrc = join(portal, '.yarnrc.yml');
  writeFileSync(
    yarnrc,
    readText(yarnrc)
      .split('\n')
      .filter(line => !line.startsWith('yarnPath:'))
      .join('\n'),
  );
  rmSync(join(portal, '.yarn/releases'), { recursive: true, force: true });

  writeFileSync(
    join(portal, 'app-config.local.yaml'),
    stringify(
      adopterPortalConfig({
        repoRoot,
        appConfig: readYaml(join(repoRoot, 'app-config.yaml')),
        developmentConfig: readYaml(
          join(repoRoot, 'app-config.development.yaml'),
        ),
      }),
    ),
  );
}

function wire(portal: string) {
  const readme = readText(join(repoRoot, 'README.md'));
  const versions = new Map(
    publishedPackages(repoRoot).map(p => [p.name, p.version]),
  );
  for (const command of readInstallCommands(
    readMarkedBlock(readme, 'install'),
    versions,
  )) {
    const args = ['--cwd', command.cwd, 'add', ...command.packages];
    console.log(`==> yarn ${args.join(' ')}`);
    execFileSync('yarn', args, { cwd: portal, stdio: 'inherit' });
  }

  const snippet = readMarkedBlock(readme, 'backend');
  const file = join(portal, snippetFile(snippet));
  if (!existsSync(file)) {
    throw new InputError(
      `README's backend snippet names ${file}, which create-app did not make`,
    );
  }
  writeFileSync(file, addBackendFeatures(readText(file), snippet));
  console.log(`==> ${file}:\n${readText(file)}`);
}

const [command, ...args] = process.argv.slice(2);
if (command === 'packages') {
  publishedPackages(repoRoot).forEach(p => console.log(p.dir));
} else if (command === 'prepare' && args.length === 2) {
  prepare(resolve(args[0]), resolve(args[1]));
} else if (command === 'gate-days' && args.length === 1) {
  console.log(releaseAgeGateDays(new Date(args[0]), new Date(), 3));
} else if (command === 'wire' && args.length === 1) {
  wire(resolve(args[0]));
} else {
  console.error(
    'usage: cli.ts packages | prepare <portal> <tarballs> | gate-days <released-at> | wire <portal>',
  );
  process.exit(2);
}
