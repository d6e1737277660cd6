import fs from 'node:fs';
import path from 'node:path';
import { CORPUS_ROOT, CorpusCase, loadCorpus, originOf } from './corpusCases';
import { CorpusBackend, startCorpusBackend } from './corpusBackends';
import {
  entityOf,
  promotionOutcome,
  settledState,
  stateOutcome,
} from './corpusOutcome';
import { CorpusWorld, RepoMapping, startCorpusWorld } from './corpusWorld';

/**
 * test/corpus end to end: every case with a `.e2e.json` is seeded into the GitHub stand-in and
 * the topology's Argo CD instances, read by the real backend through the Kubernetes informer
 * and through the Argo CD REST list (its `fields`), and promoted in a dry run. Both paths must
 * agree and give what a platform engineer reading the Application expects.
 *
 * `CORPUS_RECORD=1` writes what the product gives into the `.e2e.json` files, to review by hand.
 */

/**
 * Cases the product gets wrong today, with why; each runs as `it.failing`, so a fix makes it
 * fail here until its line is removed.
 */
const knownGaps: Record<string, string> = {};

const RECORD = process.env.CORPUS_RECORD === '1';

type Outcome = Awaited<ReturnType<typeof outcomeOf>>;

/** The case's cell (or placement error) and promotion outcome, read through one backend. */
async function outcomeOf(
  backend: CorpusBackend,
  c: CorpusCase,
  mappings: RepoMapping[],
) {
  const state = await settledState(backend, c);
  const read = stateOutcome(state, c, mappings);
  const promotion =
    read.cell && c.endToEnd.promotion
      ? await promotionOutcome(
          backend,
          c,
          read.cell,
          c.endToEnd.promotion.version,
          mappings,
        )
      : undefined;
  return {
    path: backend.path,
    ...read,
    promotion: promotion && {
      version: promotion.version,
      ...(promotion.edit
        ? { edit: promotion.edit }
        : { status: promotion.status, refusal: promotion.refusal }),
    },
  };
}

/** Expected values: `{ "$contains": "..." }` matches a message by the part that matters. */
function matching(value: unknown): any {
  if (Array.isArray(value)) return value.map(matching);
  if (value && typeof value === 'object') {
    const contains = (value as { $contains?: string }).$contains;
    if (typeof contains === 'string') return expect.stringContaining(contains);
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, matching(v)]),
    );
  }
  return value;
}
const cases = loadCorpus();

jest.setTimeout(60_000);

describe('Application corpus end to end (test/corpus)', () => {
  let world: CorpusWorld;
  let backends: CorpusBackend[];

  beforeAll(async () => {
    world = await startCorpusWorld();
    const entities = cases.map(entityOf);
    backends = [
      await startCorpusBackend(world, 'kubernetes', entities),
      await startCorpusBackend(world, 'argocd', entities),
    ];
  });

  afterAll(async () => {
    for (const backend of backends ?? []) await backend.stop();
    await world?.stop();
  });

  it('holds at least 30 cases, each naming its origin', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const c of cases) {
      expect([c.id, Boolean(originOf(c.id))]).toEqual([c.id, true]);
    }
  });

  it('lists only cases that exist', () => {
    expect(
      Object.keys(knownGaps).filter(id => !cases.some(c => c.id === id)),
    ).toEqual([]);
  });

  /** What each path gave per case, filled by its first test. */
  const outcomes = new Map<string, Outcome[]>();

  cases.forEach(c => {
    /** Seeds the case and reads it through both paths. */
    const run = async () => {
      const mappings = await world.seed(c);
      const seen: Outcome[] = [];
      for (const backend of backends) {
        seen.push(await outcomeOf(backend, c, mappings));
      }
      outcomes.set(c.id, seen);
      if (RECORD) record(c, seen[0]);
      const [informer, rest] = seen;
      return { informer, rest: { ...rest, path: informer.path } };
    };

    if (c.endToEnd.informer) {
      // the paths differ by design; each is checked against its own expectation below
      it(`${c.id}: the informer path differs from the REST path`, async () => {
        const { informer, rest } = await run();
        expect(rest).not.toEqual(informer);
      });
    } else {
      it(`${c.id}: the informer and the REST path agree`, async () => {
        const { informer, rest } = await run();
        expect(rest).toEqual(informer);
      });
    }

    if (knownGaps[c.id] && !RECORD) {
      it.failing(`${c.id}: (known gap: ${knownGaps[c.id]})`, () =>
        expectOutcome(c, outcomes.get(c.id)),
      );
    } else {
      it(`${c.id}: gives the expected cell and promotion`, () =>
        expectOutcome(c, outcomes.get(c.id)));
    }
  });
});

/** Each path's outcome is the expected one (the informer path's with its own differences). */
function expectOutcome(c: CorpusCase, seen: Outcome[] | undefined) {
  expect(seen?.map(o => o.path)).toEqual(['kubernetes', 'argocd']);
  for (const outcome of seen ?? []) {
    const differs = outcome.path === 'kubernetes' ? c.endToEnd.informer : {};
    // a field the informer path lacks is null among its differences
    const cell =
      c.endToEnd.cell &&
      Object.fromEntries(
        Object.entries({ ...c.endToEnd.cell, ...differs?.cell }).filter(
          ([, value]) => value !== null,
        ),
      );
    const promotion = differs?.promotion ?? c.endToEnd.promotion;
    expect(outcome).toEqual({
      path: outcome.path,
      ...(cell
        ? { cell: matching(cell) }
        : { placementError: matching(c.endToEnd.placementError) }),
      promotion: promotion && {
        version: promotion.version,
        ...(promotion.edit
          ? { edit: promotion.edit }
          : {
              status: 409,
              refusal: expect.stringContaining(promotion.refusal ?? ''),
            }),
      },
    });
  }
}

/** Writes what the product gave into the case's `.e2e.json`, keeping its placement. */
function record(c: CorpusCase, outcome: any) {
  const file = path.join(CORPUS_ROOT, `${c.id}.e2e.json`);
  const current = JSON.parse(fs.readFileSync(file, 'utf8'));
  const next = {
    ...current,
    cell: outcome.cell,
    placementError: outcome.placementError,
    promotion: current.promotion && {
      version: current.promotion.version,
      ...(outcome.promotion?.edit
        ? { edit: outcome.promotion.edit }
        : { refusal: outcome.promotion?.refusal }),
    },
  };
  fs.writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
}
