import { locateVersion } from '../locators';
import { checkYamlLimits, YamlLimitError } from './yamlLimits';

// The adversarial shapes of the hardening audit (issue 17): one anchor, many aliases to it.
function aliases(count: number): string {
  return `base: &base {x: 1}\nimage:\n  tag: "1.0.0"\nitems:\n${'  - *base\n'.repeat(
    count,
  )}`;
}

function largeValues(bytes: number): string {
  const line = '  padding-key-0000000: "some realistic padding text here"\n';
  return `image:\n  tag: "1.0.0"\nextra:\n${line.repeat(
    Math.ceil(bytes / line.length),
  )}`;
}

describe('checkYamlLimits', () => {
  it.each([
    ['5,000 aliases', aliases(5000), /has more than 1000 aliases/],
    // 195 KiB: the size limit refuses it first
    ['20,000 aliases', aliases(20000), /is 195\.4 KiB; the limit is 128 KiB/],
    ['3 MB', largeValues(3_000_000), /is 2\.9 MiB; the limit is 128 KiB/],
  ])('refuses %s before parsing', (_name, source, message) => {
    expect(() => checkYamlLimits(source, 'values-prod.yaml')).toThrow(
      YamlLimitError,
    );
    expect(() => checkYamlLimits(source, 'values-prod.yaml')).toThrow(message);
  });

  it('accepts files within the limits, and counts only aliases', () => {
    expect(() => checkYamlLimits(aliases(1000), 'values.yaml')).not.toThrow();
    expect(() =>
      checkYamlLimits(
        `glob: "*.txt"\nnote: a*b\n${'x: *a\n'.repeat(2)}`,
        'values.yaml',
        { maxBytes: 1000, maxAliases: 2 },
      ),
    ).not.toThrow();
    expect(() =>
      checkYamlLimits('a: [*x, *y, *z]', 'values.yaml', {
        maxBytes: 1000,
        maxAliases: 2,
      }),
    ).toThrow(/more than 2 aliases/);
  });

  it('refuses through locateVersion as a 409', () => {
    let error: unknown;
    try {
      locateVersion(
        largeValues(3_000_000),
        { type: 'helm-values', key: 'image.tag' },
        'envs/prod/values.yaml',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(YamlLimitError);
    expect(error).toMatchObject({ name: 'YamlLimitError', statusCode: 409 });
    expect((error as Error).message).toMatch(
      /^envs\/prod\/values.yaml is 2\.9 MiB; the limit is 128 KiB/,
    );
  });
});
