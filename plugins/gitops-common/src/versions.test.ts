import {
  compareVersions,
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
  it('falls back to the only image, and to nothing when ambiguous', () => {
    expect(liveVersionFromImages([images[0]], ['x']).version).toBe('1.30.0');
    expect(liveVersionFromImages(images, ['x']).version).toBeUndefined();
  });
});

describe('compareVersions', () => {
  it('orders semantic versions numerically', () => {
    const sorted = ['1.10.0', 'v1.2.0', '1.2.0-rc.1', '1.9.9'].sort(
      compareVersions,
    );
    expect(sorted).toEqual(['1.2.0-rc.1', 'v1.2.0', '1.9.9', '1.10.0']);
  });
});
