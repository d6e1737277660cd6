import {
  builtinVersionLocators,
  VersionLocators,
} from '@backstage-gitops/plugin-gitops-node';
import { VersionSource } from '@backstage-gitops/plugin-gitops-common';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { projectApplication } from '../sources/projectApplication';

/**
 * The corpus of test/corpus/versions: real-world-shaped Applications (each naming its origin),
 * the Git files they point at, and where their desired version lives. Each is projected as the
 * informer and the REST list project it, read by the built-in locators, then promoted as the
 * engine edits: the locator's refusal, or the one line it changes.
 */
const CORPUS = resolve(__dirname, '../../../../test/corpus/versions');

interface CorpusCase {
  application: unknown;
  /** The app-of-apps parent tracking the Application, whose source may hold its manifest. */
  parent?: unknown;
  serviceNames?: string[];
  helmValuesKey?: string;
  files?: Record<string, Record<string, string>>;
  expected: {
    version?: string;
    locator?: unknown;
    repoUrl?: string;
    path?: string;
    reason?: string;
    readError?: string;
    promotion?: { to: string; from?: string; edit?: string; refusal?: string };
  };
}

const cases = readdirSync(CORPUS)
  .filter(f => f.endsWith('.yaml'))
  .map(file => ({
    file,
    text: readFileSync(join(CORPUS, file), 'utf8'),
  }));

/** A refusal or read error is matched by the part of its message the corpus names. */
const containing = (text: string): unknown => expect.stringContaining(text);

function changedLines(before: string, after: string) {
  const a = before.split('\n');
  const b = after.split('\n');
  const changed = b.filter((line, i) => line !== a[i]);
  return changed.map(l => l.trim()).join('\n');
}

describe('version corpus', () => {
  it('holds at least 15 shapes, each naming its origin', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    for (const { file, text } of cases) {
      expect([file, /^# Origin: \S+/m.test(text)]).toEqual([file, true]);
    }
  });

  it.each(cases.map(c => [c.file, c.text]))('%s', async (_file, text) => {
    const corpus = parse(text) as CorpusCase;
    const { readError, promotion, ...desired } = corpus.expected;
    expect(await outcome(corpus)).toEqual({
      ...(readError ? { readError: containing(readError) } : desired),
      promotion: promotion && {
        to: promotion.to,
        ...(promotion.refusal
          ? { refusal: containing(promotion.refusal) }
          : { from: promotion.from, edit: promotion.edit }),
      },
    });
  });
});

/** What the locators read for a corpus case, and what a promotion of it writes or refuses. */
async function outcome(corpus: CorpusCase) {
  const files = corpus.files ?? {};
  const locators = new VersionLocators(
    builtinVersionLocators({
      helmValuesKey: corpus.helmValuesKey ?? 'image.tag',
    }),
  );
  const app = projectApplication(corpus.application);
  const parent = corpus.parent ? projectApplication(corpus.parent) : undefined;
  let found;
  try {
    found = await locators.read({
      sources: app.sources,
      serviceNames: corpus.serviceNames ?? [app.metadata.name],
      readFile: async (source, path, options) => {
        const content = files[source.repoURL]?.[path];
        if (content === undefined) {
          if (options?.optional) return undefined;
          throw new Error(`${path} not found in ${source.repoURL}`);
        }
        const documents = parseAllDocuments(content).map(d => d.toJS());
        return {
          blobSha: 'b'.repeat(40),
          document: documents[0],
          ...(documents.length > 1 ? { documents } : {}),
        };
      },
      application: {
        name: app.metadata.name,
        namespace: app.metadata.namespace,
        applicationSet: app.applicationSet,
        parent:
          parent && app.trackedBy === parent.metadata.name
            ? { name: parent.metadata.name, sources: parent.sources }
            : undefined,
      },
      listFiles: async (source, path, options) => {
        const prefix = path ? `${path}/` : '';
        const listed = Object.keys(files[source.repoURL] ?? {}).filter(
          f =>
            f.startsWith(prefix) &&
            (options?.recursive || !f.slice(prefix.length).includes('/')),
        );
        return listed.length > 0 ? listed : undefined;
      },
    });
  } catch (error) {
    return {
      readError: (error as Error).message,
      promotion: undefined,
    };
  }
  const result = {
    ...(found.version !== undefined ? { version: found.version } : {}),
    ...(found.reason !== undefined ? { reason: found.reason } : {}),
    ...(found.source
      ? {
          repoUrl: found.source.repoUrl,
          path: found.source.path,
          locator: found.source.locator,
        }
      : {}),
  };
  const to = corpus.expected.promotion?.to;
  if (to === undefined || !found.source) {
    return { ...result, promotion: undefined };
  }
  return { ...result, promotion: { to, ...promote(found.source, to, files) } };
}

function promote(
  source: VersionSource,
  to: string,
  files: Record<string, Record<string, string>>,
) {
  const locator = new VersionLocators(
    builtinVersionLocators({ helmValuesKey: 'image.tag' }),
  ).forLocator(source.locator);
  try {
    locator.checkWritable?.(source);
    const content = files[source.repoUrl][source.path];
    const field = locator.find(content, {
      locator: source.locator,
      path: source.path,
    });
    return {
      from: field.value,
      edit: changedLines(content, field.replace(to)),
    };
  } catch (error) {
    return { refusal: (error as Error).message };
  }
}
