import { readInstallCommands } from './installCommands';

describe('readInstallCommands', () => {
  const versions = new Map([['@acme/plugin-x', '1.2.3']]);

  it('adds a range to packages of this repository only', () => {
    expect(
      readInstallCommands(
        '# app\nyarn --cwd packages/app add @acme/plugin-x other-package\n',
        versions,
      ),
    ).toEqual([
      {
        cwd: 'packages/app',
        packages: ['@acme/plugin-x@^1.2.3', 'other-package'],
      },
    ]);
  });

  it('rejects a command it cannot run as it is written', () => {
    expect(() =>
      readInstallCommands('npm install @acme/plugin-x', versions),
    ).toThrow(
      'README install command "npm install @acme/plugin-x" is not of the form',
    );
    expect(() =>
      readInstallCommands('yarn --cwd packages/app add -D x', versions),
    ).toThrow('is not of the form');
  });
});
