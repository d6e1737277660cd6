import {
  compareVersions,
  isServiceImage,
  liveVersionFromImages,
  parseImageReference,
} from './versions';

describe('parseImageReference', () => {
  it.each([
    ['nginx', { repository: 'nginx', name: 'nginx' }],
    [
      'ghcr.io/acme/checkout-api:1.4.2',
      {
        registry: 'ghcr.io',
        repository: 'acme/checkout-api',
        name: 'checkout-api',
        tag: '1.4.2',
      },
    ],
    [
      'localhost:5000/web:2.0.0@sha256:abc',
      {
        registry: 'localhost:5000',
        repository: 'web',
        name: 'web',
        tag: '2.0.0',
        digest: 'sha256:abc',
      },
    ],
    [
      'acme/worker:v3',
      { repository: 'acme/worker', name: 'worker', tag: 'v3' },
    ],
  ])('parses %s', (image, expected) => {
    expect(parseImageReference(image)).toEqual(
      expect.objectContaining(expected),
    );
  });
});

describe('isServiceImage', () => {
  it('matches by image repository when given, else by the service name', () => {
    const repositories = {
      imageRepositories: ['gcr.io/heptio-images/ks-guestbook-demo'],
    };
    expect(
      isServiceImage(
        'gcr.io/heptio-images/ks-guestbook-demo:0.2',
        ['kustomize-guestbook'],
        repositories,
      ),
    ).toBe(true);
    // a repository given: the name alone no longer decides
    expect(
      isServiceImage(
        'ghcr.io/acme/ks-guestbook-demo',
        ['ks-guestbook-demo'],
        repositories,
      ),
    ).toBe(false);
    expect(
      isServiceImage('nginx', ['web'], {
        imageRepositories: ['docker.io/library/nginx'],
      }),
    ).toBe(true);
    expect(
      isServiceImage('ghcr.io/acme/checkout-api:1.2.0', ['checkout-api']),
    ).toBe(true);
    expect(
      isServiceImage('ghcr.io/acme/istio-proxy:1.2.0', ['checkout-api']),
    ).toBe(false);
  });
});

describe('liveVersionFromImages', () => {
  const images = [
    'ghcr.io/acme/envoy:1.30.0',
    'ghcr.io/acme/checkout-api:1.4.2',
  ];
  it('picks the image named after the service', () => {
    expect(liveVersionFromImages(images, ['checkout-api'])).toEqual({
      image: 'ghcr.io/acme/checkout-api:1.4.2',
      version: '1.4.2',
    });
  });
  it('never takes an image by position, not even the only one', () => {
    expect(liveVersionFromImages([images[0]], ['x'])).toEqual({
      reason:
        "no live image is named x (live: ghcr.io/acme/envoy:1.30.0); set the gitops/image annotation to the service's image repository",
    });
    expect(liveVersionFromImages(images, ['x']).version).toBeUndefined();
  });
  it('chooses by image repository, whatever the order and the sidecars', () => {
    const live = [
      'docker.io/istio/proxyv2:1.22.0',
      `ghcr.io/acme/checkout-api:1.4.2@sha256:${'a'.repeat(64)}`,
      'ghcr.io/acme/migrations:7',
      'busybox:1.36',
    ];
    expect(
      liveVersionFromImages(live, ['other'], {
        imageRepositories: ['ghcr.io/acme/checkout-api'],
      }),
    ).toEqual({ image: live[1], version: '1.4.2' });
    expect(
      liveVersionFromImages(live, [], {
        imageRepositories: ['acme/migrations'],
      }).version,
    ).toBe('7');
    expect(
      liveVersionFromImages(live, [], {
        imageRepositories: ['docker.io/library/busybox'],
      }).version,
    ).toBe('1.36');
  });
  it('gives the digest when the image has no tag', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    expect(
      liveVersionFromImages([`ghcr.io/acme/web@${digest}`, 'envoy:1'], ['web'])
        .version,
    ).toBe(digest);
  });
  it('says why when the repository runs no image or two versions', () => {
    expect(
      liveVersionFromImages(images, [], {
        imageRepositories: ['ghcr.io/acme/payments'],
      }),
    ).toEqual({
      reason: `no live image is of ghcr.io/acme/payments (live: ${images.join(
        ', ',
      )})`,
    });
    expect(
      liveVersionFromImages(
        ['ghcr.io/acme/web:1', 'ghcr.io/acme/web:2'],
        ['web'],
      ).reason,
    ).toMatch(/2 live images match the name web with different versions/);
    expect(
      liveVersionFromImages(['a:1', 'b:1', 'c:1', 'd:1', 'e:1'], ['web'])
        .reason,
    ).toBe(
      "no live image is named web (live: a:1, b:1, c:1 and 2 more); set the gitops/image annotation to the service's image repository",
    );
    expect(liveVersionFromImages([], ['web']).reason).toBe(
      'the Application reports no live images yet',
    );
  });
});

describe('compareVersions', () => {
  const sorted = (versions: string[]) => [...versions].sort(compareVersions);

  it('orders semantic versions numerically', () => {
    expect(sorted(['1.10.0', 'v1.2.0', '1.2.0-rc.1', '1.9.9'])).toEqual([
      '1.2.0-rc.1',
      'v1.2.0',
      '1.9.9',
      '1.10.0',
    ]);
  });

  it('orders numeric pre-release identifiers numerically (rc.9 before rc.10)', () => {
    expect(compareVersions('1.0.0-rc.10', '1.0.0-rc.9')).toBeGreaterThan(0);
    expect(
      sorted(['2.0.0', '2.0.0-rc.10', '2.0.0-rc.9', '2.0.0-rc.1', '1.9.0']),
    ).toEqual(['1.9.0', '2.0.0-rc.1', '2.0.0-rc.9', '2.0.0-rc.10', '2.0.0']);
  });

  it('orders pre-releases by semver precedence', () => {
    // the example of semver.org 11.4
    const precedence = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ];
    expect(sorted([...precedence].reverse())).toEqual(precedence);
  });

  it('ignores build metadata for precedence, and breaks ties between builds', () => {
    expect(compareVersions('1.2.3+build.2', '1.2.4')).toBeLessThan(0);
    expect(compareVersions('1.2.3-rc.1+sha.abc', '1.2.3')).toBeLessThan(0);
    expect(compareVersions('1.2.3+build.10', '1.2.3+build.9')).toBeGreaterThan(
      0,
    );
    expect(compareVersions('1.2.3+build.1', '1.2.3+build.1')).toBe(0);
  });

  it('treats a v prefix as the same version', () => {
    expect(compareVersions('v1.2.3', '1.2.3')).toBe(0);
    expect(compareVersions('v1.10.0', 'v1.9.0')).toBeGreaterThan(0);
    expect(compareVersions('v2.0.0-rc.10', '2.0.0-rc.9')).toBeGreaterThan(0);
  });

  it('orders date tags by date (fallback for non-semver tags)', () => {
    expect(sorted(['2024-10-01', '2024-05-01', '2023-12-31'])).toEqual([
      '2023-12-31',
      '2024-05-01',
      '2024-10-01',
    ]);
    // leading zeros make these invalid semver; they are compared number by number
    expect(sorted(['2024.10.01', '2024.05.01', '2024.9.30'])).toEqual([
      '2024.05.01',
      '2024.9.30',
      '2024.10.01',
    ]);
    expect(sorted(['20241001', '20240501', '20231231'])).toEqual([
      '20231231',
      '20240501',
      '20241001',
    ]);
    expect(
      compareVersions('20240501123000123456', '20240501123000123457'),
    ).toBeLessThan(0);
    expect(compareVersions('v2024-10-01', '2024-05-01')).toBeGreaterThan(0);
  });

  it('orders other non-semver tags naturally (fallback)', () => {
    expect(sorted(['build-10', 'build-9', 'build-100'])).toEqual([
      'build-9',
      'build-10',
      'build-100',
    ]);
    expect(sorted(['1.10', '1.9', '1.2.3'])).toEqual(['1.2.3', '1.9', '1.10']);
    expect(compareVersions('latest', 'latest')).toBe(0);
  });
});
