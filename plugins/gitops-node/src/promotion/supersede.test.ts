import { executePromotion } from './executePromotion';
import { planPromotion } from './planPromotion';
import {
  cell,
  deps,
  entityState,
  FakeRepo,
  ownerContext,
  stateReader,
} from './__testUtils__/fakes';

const owner = ownerContext;
const values = (version: string) => `image:\n  tag: "${version}"\n`;
const BRANCH = 'gitops/promote/checkout-api/prod';

/** checkout-api with one values file per prod cluster, so clusters can be promoted alone. */
function world() {
  const repo = new FakeRepo({
    'envs/prod-eu-1/values.yaml': values('1.4.2'),
    'envs/prod-us-1/values.yaml': values('1.4.2'),
  });
  const promote = async (stagingVersion: string, targets?: string[]) => {
    const state = entityState([
      cell('staging', 'staging-1', { liveVersion: stagingVersion }),
      ...['prod-eu-1', 'prod-us-1'].map(cluster =>
        cell('prod', cluster, {
          liveVersion: '1.4.2',
          source: { path: `envs/${cluster}/values.yaml` },
        }),
      ),
    ]);
    const d = deps(repo, stateReader(state));
    const request = {
      entityRef: 'component:default/checkout-api',
      from: 'staging',
      to: 'prod',
      targets,
    };
    return executePromotion(await planPromotion(request, owner, d), owner, d);
  };
  return { repo, promote };
}

describe('superseding promotions of other branches', () => {
  it('closes the open promotion of the whole environment when one of its clusters gets a newer version', async () => {
    const { repo, promote } = world();
    expect((await promote('1.5.0')).pullRequests[0].branch).toBe(BRANCH);

    const result = await promote('1.6.0', ['prod-eu-1']);

    expect(result.outcome).toBe('opened');
    expect(result.pullRequests[0]).toMatchObject({
      number: 2,
      branch: `${BRANCH}--prod-eu-1`,
      action: 'opened',
    });
    expect(result.superseded).toEqual([
      { number: 1, url: repo.pulls[0].url, action: 'closed' },
    ]);
    expect(result.message).toContain('Closed superseded pull request(s) #1');
    expect(repo.pulls.map(p => p.state)).toEqual(['closed', 'open']);
    const [comment] = repo.comments;
    expect(comment.number).toBe(1);
    expect(comment.body).toContain(`Superseded by ${repo.pulls[1].url}`);
    expect(comment.body).toContain('**1.6.0**');
  });

  it('keeps the open pull request of a sibling wave of the same version', async () => {
    const { repo, promote } = world();
    await promote('1.5.0', ['prod-eu-1']);

    const result = await promote('1.5.0', ['prod-us-1']);

    expect(result.outcome).toBe('opened');
    expect(result.superseded).toEqual([]);
    expect(repo.pulls.map(p => [p.branch, p.state])).toEqual([
      [`${BRANCH}--prod-eu-1`, 'open'],
      [`${BRANCH}--prod-us-1`, 'open'],
    ]);
    expect(repo.calls).not.toContain('closePull');
  });

  it('updates its own branch in place and closes the other branch of an older version', async () => {
    const { repo, promote } = world();
    await promote('1.5.0', ['prod-eu-1']);
    await promote('1.5.0', ['prod-us-1']);

    const result = await promote('1.6.0', ['prod-eu-1']);

    expect(result.outcome).toBe('updated');
    expect(result.pullRequests[0]).toMatchObject({
      number: 1,
      action: 'updated',
    });
    expect(result.superseded).toEqual([
      expect.objectContaining({ number: 1, action: 'updated' }),
      expect.objectContaining({ number: 2, action: 'closed' }),
    ]);
    expect(repo.pulls.map(p => p.state)).toEqual(['open', 'closed']);
    expect(repo.calls.filter(c => c === 'createPull')).toHaveLength(2);
  });

  it('writes nothing when the superseding promotion runs again', async () => {
    const { repo, promote } = world();
    await promote('1.5.0');
    await promote('1.6.0', ['prod-eu-1']);
    const writes = repo.writes;

    const again = await promote('1.6.0', ['prod-eu-1']);

    expect(again.outcome).toBe('noop');
    expect(again.superseded).toEqual([]);
    expect(repo.writes).toBe(writes);
  });

  it('leaves pull requests of other environments, entities and without a marker alone', async () => {
    const { repo, promote } = world();
    const foreign = (branch: string, body: string) =>
      repo.pulls.push({
        number: repo.pulls.length + 1,
        url: `${repo.webUrl}/pull/${repo.pulls.length + 1}`,
        title: 'hand-made',
        body,
        branch,
        base: 'main',
        state: 'open',
        labels: [],
      });
    foreign(`${BRANCH}--prod-eu-1-hotfix`, 'no marker here');
    foreign(
      `${BRANCH}-eu--prod-eu-1`,
      `<!-- backstage-gitops-promotion {"entityRef":"component:default/checkout-api","to":"prod-eu","clusters":["prod-eu-1"],"version":"1.0.0","values":{}} -->`,
    );

    const result = await promote('1.6.0', ['prod-eu-1']);

    expect(result.outcome).toBe('opened');
    expect(result.superseded).toEqual([]);
    expect(repo.pulls.filter(p => p.state === 'open')).toHaveLength(3);
  });

  it('still reports the new pull request when an old one cannot be closed', async () => {
    const { repo, promote } = world();
    await promote('1.5.0');
    repo.closePullRequest = async () => {
      throw new Error('Resource not accessible by integration');
    };

    const result = await promote('1.6.0', ['prod-eu-1']);

    expect(result.outcome).toBe('opened');
    expect(result.superseded).toEqual([]);
    expect(result.message).toContain(
      'Could not close superseded pull request(s) #1 (Resource not accessible by integration)',
    );
    expect(repo.pulls[0].state).toBe('open');
  });
});
