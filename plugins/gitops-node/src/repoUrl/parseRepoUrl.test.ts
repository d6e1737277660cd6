import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createGithubClient } from '../github';
import { parseGithubRepositoryUrl, redactUserinfo } from './parseRepoUrl';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      github: [
        { host: 'github.com', token: 'configured-token' },
        {
          host: 'ghe.acme.example',
          apiBaseUrl: 'https://ghe.acme.example/api/v3',
          token: 'ghe-token',
        },
      ],
    },
  }),
);

describe('parseGithubRepositoryUrl', () => {
  it.each([
    ['https://github.com/acme/gitops.git', 'github.com'],
    ['https://github.com/acme/gitops', 'github.com'],
    ['git@github.com:acme/gitops.git', 'github.com'],
    ['ssh://git@github.com/acme/gitops.git', 'github.com'],
    ['ssh://git@github.com:22/acme/gitops', 'github.com'],
    ['https://user:secret@github.com/acme/gitops.git', 'github.com'],
    ['http://localhost:7480/acme/gitops', 'localhost:7480'],
  ])('reads %s', (url, host) => {
    const parsed = parseGithubRepositoryUrl(url);
    expect(parsed).toMatchObject({ host, owner: 'acme', repo: 'gitops' });
    expect(parsed.webUrl).not.toContain('secret');
    expect(parsed.cloneUrl).toBe(`${parsed.webUrl}.git`);
  });

  it('reads the branch of a /tree/ URL', () => {
    expect(
      parseGithubRepositoryUrl('https://github.com/acme/gitops/tree/release/1'),
    ).toMatchObject({ repo: 'gitops', branch: 'release/1' });
  });

  it('refuses other schemes and shapes without echoing credentials', () => {
    expect(() =>
      parseGithubRepositoryUrl('file:///etc/passwd/acme/gitops'),
    ).toThrow(/not https, http or ssh/);
    expect(() =>
      parseGithubRepositoryUrl('https://u:tok3n@github.com/acme'),
    ).toThrow(/^Repository URL https:\/\/github.com\/acme does not name/);
  });
});

describe('redactUserinfo', () => {
  it('removes credentials from every URL in a text', () => {
    expect(
      redactUserinfo(
        'could not read https://u:p@github.com/a/b.git and http://tok@h/x; ssh://git:pw@h/a/b stays git@',
      ),
    ).toBe(
      'could not read https://github.com/a/b.git and http://h/x; ssh://git@h/a/b stays git@',
    );
    expect(redactUserinfo('git@github.com:acme/gitops.git')).toBe(
      'git@github.com:acme/gitops.git',
    );
  });
});

describe('createGithubClient', () => {
  it('finds the integration of an SSH-form repoURL', async () => {
    const client = await createGithubClient({
      integrations,
      repoUrl: 'git@ghe.acme.example:platform/gitops.git',
    });
    expect(client.request.endpoint.DEFAULTS.baseUrl).toBe(
      'https://ghe.acme.example/api/v3',
    );
  });

  // Shapes from the hardening audit (issue 17): a token only ever goes to the API of the
  // integration whose host the URL really names; look-alike hosts find no integration.
  const shapes: Array<[string, string | undefined]> = [
    ['https://github.com/acme/gitops', 'https://api.github.com'],
    ['https://github.com/acme/gitops.git', 'https://api.github.com'],
    ['https://github.com/acme/gitops/tree/main', 'https://api.github.com'],
    ['https://GitHub.com/acme/gitops', 'https://api.github.com'],
    ['https://x:y@github.com/acme/gitops', 'https://api.github.com'],
    ['git@github.com:acme/gitops.git', 'https://api.github.com'],
    ['git@github.com:/acme/gitops.git', 'https://api.github.com'],
    ['ssh://git@github.com/acme/gitops.git', 'https://api.github.com'],
    ['ssh://git@github.com:2222/acme/gitops', 'https://api.github.com'],
    ['https://ghe.acme.example/a/b', 'https://ghe.acme.example/api/v3'],
    ['git@ghe.acme.example:a/b.git', 'https://ghe.acme.example/api/v3'],
    ['https://github.com@evil.example/acme/gitops', undefined],
    ['https://github.com.evil.example/acme/gitops', undefined],
    ['https://evil.example/github.com/acme', undefined],
    ['https://evil.example#@github.com/acme/gitops', undefined],
    ['https://evil.example?@github.com/acme/gitops', undefined],
    ['https://evil.example\\@github.com/acme/gitops', undefined],
    ['git@evil.example:github.com/acme', undefined],
    ['ssh://github.com@evil.example/acme/gitops', undefined],
    ['ssh://evil.example/github.com/acme', undefined],
    ['http://evil.example:80/acme/gitops', undefined],
    ['https://api.github.com.evil.example/acme/gitops', undefined],
    ['https://evil.example/acme/gitops?host=github.com', undefined],
    ['file:///github.com/acme/gitops', undefined],
    ['github.com/acme/gitops', undefined],
    ['//github.com/acme/gitops', undefined],
  ];

  const found = shapes.filter(([, api]) => api !== undefined);
  const refused = shapes.filter(([, api]) => api === undefined);

  it('covers the 26 shapes of the audit', () => {
    expect(found.length + refused.length).toBe(26);
  });

  it.each(found)(
    'sends tokens for %s only to the configured API %s',
    async (repoUrl, apiBaseUrl) => {
      const client = await createGithubClient({ integrations, repoUrl });
      expect(client.request.endpoint.DEFAULTS.baseUrl).toBe(apiBaseUrl);
    },
  );

  it.each(refused)('finds no integration for %s', async repoUrl => {
    await expect(createGithubClient({ integrations, repoUrl })).rejects.toThrow(
      /No GitHub integration matches|Not a repository URL|not https, http or ssh|does not name one repository/,
    );
  });
});
