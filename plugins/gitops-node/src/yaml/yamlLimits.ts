import { CustomErrorBase } from '@backstage/errors';

/** Bounds a YAML file must stay within before it is parsed. @public */
export interface YamlLimits {
  /** Size in bytes (UTF-8). */
  maxBytes: number;
  /** Number of aliases (`*name`). */
  maxAliases: number;
}

/**
 * 128 KiB and 1,000 aliases: above real values files (rarely over 50 KB), and below where yaml's
 * parser would hold the event loop for more than 100 ms (bench:yaml: 256 KiB took 149 ms, 1,000
 * aliases 25 ms, on a quiet 2-core machine). @public
 */
export const DEFAULT_YAML_LIMITS: YamlLimits = {
  maxBytes: 128 * 1024,
  maxAliases: 1000,
};

/**
 * A YAML file was refused before parsing because it is larger, or has more aliases, than the
 * configured limits. Answered as 409: the file, not the request, has to change.
 *
 * @public
 */
export class YamlLimitError extends CustomErrorBase {
  // Backstage's error handler answers with a `statusCode` field before looking at the name
  readonly statusCode = 409;
}

// `*name` where a node may start. An upper bound: it also counts such text in comments and block
// scalars. yaml's Lexer would be exact, but takes over a second on the adversarial files, which is
// what this check exists to avoid.
const ALIAS = /(?:^|[\s[{,])\*[^\s[\]{},]+/g;

function formatBytes(bytes: number): string {
  const round = (value: number) => Number(value.toFixed(1));
  if (bytes >= 1024 * 1024) {
    return `${round(bytes / 1024 / 1024)} MiB`;
  }
  return bytes >= 1024 ? `${round(bytes / 1024)} KiB` : `${bytes} bytes`;
}

/**
 * Refuses, with a {@link YamlLimitError} that says what to fix, a file too large or with too many
 * aliases to parse without blocking other requests. Runs in time linear in the file's size.
 *
 * @public
 */
export function checkYamlLimits(
  source: string,
  fileName: string,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
): void {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > limits.maxBytes) {
    throw new YamlLimitError(
      `${fileName} is ${formatBytes(bytes)}; the limit is ${formatBytes(
        limits.maxBytes,
      )} (gitops.yamlLimits.maxBytes), so it is not read or edited: split the file or raise the limit`,
    );
  }
  let aliases = 0;
  ALIAS.lastIndex = 0;
  while (ALIAS.exec(source)) {
    aliases += 1;
    if (aliases > limits.maxAliases) {
      throw new YamlLimitError(
        `${fileName} has more than ${limits.maxAliases} aliases (gitops.yamlLimits.maxAliases), so it is not read or edited: expand anchors or raise the limit`,
      );
    }
  }
}
