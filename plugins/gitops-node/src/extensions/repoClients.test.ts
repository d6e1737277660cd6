import type { GitopsRepoClient } from '../promotion/types';
import {
  combineRepoClientProviders,
  GitopsRepoClientProvider,
} from './repoClients';

function provider(host: string): GitopsRepoClientProvider {
  return {
    handles: url => new URL(url).host === host,
    forRepo: async url => ({ webUrl: `${host}:${url}` } as GitopsRepoClient),
  };
}

describe('combineRepoClientProviders', () => {
  const repoClients = combineRepoClientProviders([
    provider('github.com'),
    provider('git.example.test'),
  ]);

  it('serves a repository by the first provider that handles its URL', async () => {
    const client = await repoClients.forRepo(
      'https://git.example.test/acme/gitops',
    );
    expect(client.webUrl).toBe(
      'git.example.test:https://git.example.test/acme/gitops',
    );
  });

  it('refuses a URL no provider handles, without its credentials, saying what to add', async () => {
    await expect(
      repoClients.forRepo(
        'https://user:secret@gitlab.example.test/acme/gitops',
      ),
    ).rejects.toThrow(
      /^No repository client handles https:\/\/.*gitlab\.example\.test\/acme\/gitops; add its host under integrations\.github in app-config\.yaml, or add the backend module of its Git host$/,
    );
    await expect(
      repoClients.forRepo(
        'https://user:secret@gitlab.example.test/acme/gitops',
      ),
    ).rejects.not.toThrow(/secret/);
  });
});
