import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';

/** test/corpus: the reader cases (versions) and the status cases (live-status). */
export const CORPUS_ROOT = path.resolve(
  resolvePackagePath('@internal/gitops-corpus-tests'),
  '../corpus',
);

/** The cell a platform engineer reading the Application expects. */
export interface ExpectedCell {
  environment: string;
  cluster: string;
  sync: string;
  health: string;
  liveVersion?: string;
  liveVersionReason?: string;
  desiredVersion?: string;
  desiredReason?: string;
  /** Where the desired version is read: `<repoUrl as in the Application> <path>`. */
  desiredAt?: string;
  skew: boolean;
  driftCounts: Record<string, number>;
  operationMessage?: string;
}

/** The promotion of `version` into the case's cell (dry run). */
export interface ExpectedPromotion {
  version: string;
  /** The one scalar that changes: file and the line before and after. */
  edit?: { repoUrl: string; path: string; before: string; after: string };
  /** A 409: part of its message. */
  refusal?: string;
}

/** A case's `<name>.e2e.json`: how it is placed and what it must give end to end. */
export interface EndToEnd {
  /** The instance that reports the Application: hub (dev-1, staging-1), prod-eu or prod-us. */
  instance: string;
  /** The catalog entity's annotations; by default `argocd/app-name` (or the kubernetes-id label). */
  annotations?: Record<string, string>;
  /** The Application's status, for cases whose file has none (a `kubectl get application -o yaml` shape). */
  status?: Record<string, unknown>;
  /** Git files of sources the case's file does not carry (keyed by repoURL, then path). */
  files?: Record<string, Record<string, string>>;
  /** The cell, or the message of the error that places no cell. */
  cell?: ExpectedCell;
  placementError?: string;
  promotion?: ExpectedPromotion;
  /**
   * What differs on the informer path by design: a `kubernetes`-type instance has no Argo CD
   * API, so a version only Argo CD renders (Jsonnet, plugins) is unknown there. `cell` fields
   * override the expected cell (null: absent there); `promotion` replaces the expected promotion.
   */
  informer?: {
    cell?: { [K in keyof ExpectedCell]?: ExpectedCell[K] | null };
    promotion?: ExpectedPromotion;
  };
}

/** One corpus case, ready to seed. */
export interface CorpusCase {
  /** `<corpus>/<file name without .yaml>`. */
  id: string;
  application: any;
  files: Record<string, Record<string, string>>;
  helmValuesKey?: string;
  endToEnd: EndToEnd;
}

/** The repository most corpus cases point at, served from its snapshot under test/corpus. */
const EXAMPLE_APPS_URLS = [
  'https://github.com/argoproj/argocd-example-apps.git',
  'https://github.com/argoproj/argocd-example-apps',
];

let snapshot: Record<string, string> | undefined;

/** test/corpus/argocd-example-apps: path in the repository to content. */
function exampleApps(): Record<string, string> {
  if (!snapshot) {
    const root = path.join(CORPUS_ROOT, 'argocd-example-apps');
    snapshot = {};
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (dir !== root) {
          snapshot![path.relative(root, full)] = fs.readFileSync(full, 'utf8');
        }
      }
    };
    walk(root);
  }
  return snapshot;
}

/** Every case of test/corpus that has a sibling `.e2e.json`, in a stable order. */
export function loadCorpus(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const corpus of ['versions', 'live-status']) {
    const dir = path.join(CORPUS_ROOT, corpus);
    for (const file of fs.readdirSync(dir).sort()) {
      if (!file.endsWith('.e2e.json')) continue;
      const name = file.replace(/\.e2e\.json$/, '');
      const doc = yaml.parse(
        fs.readFileSync(path.join(dir, `${name}.yaml`), 'utf8'),
      );
      const endToEnd: EndToEnd = JSON.parse(
        fs.readFileSync(path.join(dir, file), 'utf8'),
      );
      const application = structuredClone(doc.application ?? doc);
      if (endToEnd.status) {
        application.status = { ...endToEnd.status, ...application.status };
      }
      const files: CorpusCase['files'] = {
        ...(doc.files ?? {}),
        ...(endToEnd.files ?? {}),
      };
      for (const url of EXAMPLE_APPS_URLS) {
        files[url] = { ...exampleApps(), ...(files[url] ?? {}) };
      }
      cases.push({
        id: `${corpus}/${name}`,
        application,
        files,
        helmValuesKey: doc.helmValuesKey,
        endToEnd,
      });
    }
  }
  return cases;
}

/** The case files of a corpus directory that carry their origin in a first comment. */
export function originOf(id: string): string | undefined {
  const text = fs.readFileSync(path.join(CORPUS_ROOT, `${id}.yaml`), 'utf8');
  return /^# ?[Oo]rigin: *(\S.*)$/m.exec(text)?.[1];
}
