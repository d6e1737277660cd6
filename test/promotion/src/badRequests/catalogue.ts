/** A request body: JSON of a value, or raw text with its content type. */
export type BadBody = { json: unknown } | { raw: string; contentType: string };

/** A bad `POST /v1/promotions` request, with the status and message a caller should get. */
export interface BadRequest {
  group: string;
  name: string;
  body: BadBody;
  status: number;
  message: RegExp;
}

export const ENTITY = 'component:default/storefront-web';

/** A request the sandbox accepts; each case spoils one part of it. */
export const valid = {
  entityRef: ENTITY,
  from: 'staging',
  to: 'prod',
  dryRun: false,
};

/** The request schema's message for a field. */
export const schema = (detail: string) =>
  new RegExp(`^Invalid promotion request: ${detail}`);

export const notString = (field: string, type: string) =>
  schema(`${field}: Expected string, received ${type}`);

/** Values of the wrong JSON type for a string field, with the type zod names. */
export const WRONG_TYPES: Array<[unknown, string]> = [
  [1, 'number'],
  [null, 'null'],
  [true, 'boolean'],
  [['prod'], 'array'],
  [{ name: 'prod' }, 'object'],
];

/** Invisible characters a copy and paste brings along (https://www.unicode.org/reports/tr39/). */
export const INVISIBLE = {
  zeroWidthSpace: '\u200B',
  zeroWidthJoiner: '\u200D',
  byteOrderMark: '\uFEFF',
  noBreakSpace: '\u00A0',
  rightToLeftOverride: '\u202E',
  lineSeparator: '\u2028',
  softHyphen: '\u00AD',
};

/** A short, printable name for a value. */
export const show = (value: unknown) => JSON.stringify(value).slice(0, 50);

/** What makes two inputs the same: the JSON text, or the raw text and its content type. */
export function inputKey(body: BadBody): string {
  return 'json' in body
    ? `json ${JSON.stringify(body.json)}`
    : `raw ${body.contentType} ${body.raw}`;
}

/**
 * The bad requests, in groups. Adding an input twice throws, so the number of cases is the
 * number of distinct inputs.
 */
export class BadRequestCatalogue {
  readonly cases: BadRequest[] = [];
  private readonly seen = new Map<string, string>();
  private current = '';

  group(name: string) {
    this.current = name;
  }

  json(name: string, request: unknown, status: number, message: RegExp) {
    this.add(name, { json: request }, status, message);
  }

  raw(
    name: string,
    text: string,
    contentType: string,
    status: number,
    message: RegExp,
  ) {
    this.add(name, { raw: text, contentType }, status, message);
  }

  private add(name: string, body: BadBody, status: number, message: RegExp) {
    const label = `${this.current}: ${name}`;
    const key = inputKey(body);
    const earlier = this.seen.get(key);
    if (earlier) {
      throw new Error(`${label} repeats the input of ${earlier}`);
    }
    this.seen.set(key, label);
    this.cases.push({ group: this.current, name, body, status, message });
  }
}
