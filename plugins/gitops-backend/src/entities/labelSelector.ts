import { InputError } from '@backstage/errors';

/** One requirement of a Kubernetes label selector. */
export type LabelRequirement =
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

/** Longest selector read; a longer one is refused before it is parsed. */
export const MAX_SELECTOR_LENGTH = 1024;
// Kubernetes' own limits on label keys (prefix: DNS subdomain) and values
const MAX_KEY_PREFIX_LENGTH = 253;
const MAX_NAME_LENGTH = 63;
// bounded by the limits above before they are tested, and free of nested quantifiers
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n';
const isWordChar = (c: string) => /[-A-Za-z0-9_./]/.test(c);

class Scanner {
  #pos = 0;

  constructor(private readonly text: string) {}

  done() {
    return this.#pos >= this.text.length;
  }

  peek(ahead = 0): string | undefined {
    return this.text[this.#pos + ahead];
  }

  next(): string | undefined {
    return this.text[this.#pos++];
  }

  skipSpaces() {
    while (!this.done() && isSpace(this.text[this.#pos])) this.#pos++;
  }

  /** The run of key/value characters at the position (may be empty). */
  word(): string {
    const start = this.#pos;
    while (!this.done() && isWordChar(this.text[this.#pos])) this.#pos++;
    return this.text.slice(start, this.#pos);
  }

  expect(char: string, what: string) {
    if (this.peek() !== char) throw this.error(what);
    this.#pos++;
  }

  error(expected: string): InputError {
    const found = this.done()
      ? 'the end'
      : JSON.stringify(this.text.slice(this.#pos, this.#pos + 20));
    return new InputError(
      `Cannot read label selector: expected ${expected} at character ${
        this.#pos + 1
      }, found ${found}`,
    );
  }
}

/**
 * Parses a Kubernetes label selector (`a=b,c!=d,e in (x,y),f,!g`) as the `argocd/app-selector`
 * annotation carries it. A hand-written scanner rather than regular expressions over the whole
 * input: it reads each character once, so an annotation cannot stall the event loop. Throws an
 * InputError saying what to fix: a selector longer than {@link MAX_SELECTOR_LENGTH}, a key or
 * value beyond Kubernetes' limits, or a requirement it cannot read.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  if (selector.length > MAX_SELECTOR_LENGTH) {
    throw new InputError(
      `Label selector is ${selector.length} characters long; at most ${MAX_SELECTOR_LENGTH} are read`,
    );
  }
  const scanner = new Scanner(selector);
  const requirements: LabelRequirement[] = [];
  scanner.skipSpaces();
  while (!scanner.done()) {
    requirements.push(readRequirement(scanner));
    scanner.skipSpaces();
    if (!scanner.done()) {
      scanner.expect(',', 'a comma between requirements');
      scanner.skipSpaces();
    }
  }
  return requirements;
}

/**
 * Whether a selector names at least one label value (`=`, `==` or `in` with one value): without
 * one it selects by existence and exclusion only, that is every Application of every team.
 */
export function hasEqualityRequirement(requirements: LabelRequirement[]) {
  return requirements.some(
    r => r.op === '=' || (r.op === 'in' && r.values.length === 1),
  );
}

function readRequirement(scanner: Scanner): LabelRequirement {
  const negated = scanner.peek() === '!' && scanner.peek(1) !== '=';
  if (negated) {
    scanner.next();
    scanner.skipSpaces();
  }
  const key = checkKey(scanner.word(), scanner);
  scanner.skipSpaces();
  if (negated) {
    return { key, op: '!exists' };
  }
  const c = scanner.peek();
  if (c === '=' || c === '!') {
    const op = scanner.next() === '!' ? '!=' : '=';
    if (op === '!=' || scanner.peek() === '=') {
      scanner.expect('=', `"=" after "${c}"`);
    }
    scanner.skipSpaces();
    return { key, op, value: checkValue(scanner.word()) };
  }
  if (c !== undefined && c !== ',') {
    const keyword = scanner.word();
    if (keyword !== 'in' && keyword !== 'notin') {
      throw scanner.error(`"=", "!=", "in" or "notin" after key ${key}`);
    }
    scanner.skipSpaces();
    scanner.expect('(', `"(" after "${keyword}"`);
    const values: string[] = [];
    for (;;) {
      scanner.skipSpaces();
      const value = checkValue(scanner.word());
      if (value) values.push(value);
      scanner.skipSpaces();
      if (scanner.peek() === ')') break;
      scanner.expect(',', `"," or ")" in the values of ${key}`);
    }
    scanner.next();
    return { key, op: keyword, values };
  }
  return { key, op: 'exists' };
}

function checkKey(key: string, scanner: Scanner): string {
  if (!key) {
    throw scanner.error('a label key');
  }
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (
    prefix !== undefined &&
    (prefix.length > MAX_KEY_PREFIX_LENGTH || !PREFIX.test(prefix))
  ) {
    throw new InputError(
      `Label key ${clip(
        key,
      )} has an invalid prefix: a DNS subdomain of at most ${MAX_KEY_PREFIX_LENGTH} characters`,
    );
  }
  if (name.length > MAX_NAME_LENGTH || !NAME.test(name)) {
    throw new InputError(
      `Label key ${clip(
        key,
      )} is invalid: its name must be 1-${MAX_NAME_LENGTH} letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
    );
  }
  return key;
}

function checkValue(value: string): string {
  if (value && (value.length > MAX_NAME_LENGTH || !NAME.test(value))) {
    throw new InputError(
      `Label value ${clip(
        value,
      )} is invalid: at most ${MAX_NAME_LENGTH} letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
    );
  }
  return value;
}

function clip(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** Whether labels satisfy every requirement. */
export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string>,
): boolean {
  return requirements.every(r => {
    const value = labels[r.key];
    switch (r.op) {
      case '=':
        return value === r.value;
      case '!=':
        return value !== r.value;
      case 'in':
        return value !== undefined && r.values.includes(value);
      case 'notin':
        return value === undefined || !r.values.includes(value);
      case 'exists':
        return value !== undefined;
      default:
        return value === undefined;
    }
  });
}
