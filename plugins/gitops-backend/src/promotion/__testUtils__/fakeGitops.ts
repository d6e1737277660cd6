import {
  EntityGitopsState,
  PromotionRecord,
} from '@backstage-gitops/plugin-gitops-common';
import {
  mockClusterState,
  mockEntityState,
} from '@backstage-gitops/plugin-gitops-common/testUtils';
import { GitopsRepoClient } from '@backstage-gitops/plugin-gitops-node';
import { createHash } from 'node:crypto';

const sha = (text: string) => createHash('sha1').update(text).digest('hex');

/** A one-branch repository counting reads and writes. */
export function fakeRepo(files: Record<string, string>) {
  const counts = { reads: 0, writes: 0 };
  const pulls: Array<{
    number: number;
    branch: string;
    title: string;
    body: string;
    state: 'open' | 'closed' | 'merged';
  }> = [];
  const branches = new Set<string>();
  const read = () => {
    counts.reads++;
  };
  const write = () => {
    counts.writes++;
  };
  const client: GitopsRepoClient = {
    webUrl: 'http://github.example/acme/payments-gitops',
    getDefaultBranch: async () => {
      read();
      return 'main';
    },
    getBranchHead: async () => {
      read();
      return { commitSha: 'c'.repeat(40), treeSha: 't'.repeat(40) };
    },
    getFile: async path => {
      read();
      const content = files[path];
      return content === undefined
        ? undefined
        : { content, blobSha: sha(content) };
    },
    getBlob: async blobSha => {
      read();
      return Object.values(files).find(c => sha(c) === blobSha)!;
    },
    findOpenPullRequest: async branch => {
      read();
      const pull = pulls.find(p => p.branch === branch && p.state === 'open');
      return (
        pull && {
          ...pull,
          url: `http://github.example/acme/payments-gitops/pull/${pull.number}`,
        }
      );
    },
    listOpenPullRequests: async ({ branchPrefix }) => {
      read();
      return pulls
        .filter(p => p.state === 'open' && p.branch.startsWith(branchPrefix))
        .map(p => ({
          ...p,
          url: `http://github.example/acme/payments-gitops/pull/${p.number}`,
        }));
    },
    getPullRequest: async number => {
      read();
      const pull = pulls.find(p => p.number === number);
      if (!pull) {
        throw Object.assign(new Error('Not Found'), { status: 404 });
      }
      return { state: pull.state, headSha: 'e'.repeat(40) };
    },
    closePullRequest: async number => {
      write();
      pulls.find(p => p.number === number)!.state = 'closed';
    },
    createCommit: async () => {
      write();
      write();
      return 'd'.repeat(40);
    },
    createBranch: async branch => {
      write();
      const existed = branches.has(branch);
      branches.add(branch);
      return existed ? 'exists' : 'created';
    },
    updateBranch: async () => {
      write();
      return 'updated';
    },
    createPullRequest: async ({ branch, title, body }) => {
      write();
      const pull = {
        number: pulls.length + 1,
        branch,
        title,
        body,
        state: 'open' as const,
      };
      pulls.push(pull);
      return {
        ...pull,
        url: `http://github.example/acme/payments-gitops/pull/${pull.number}`,
      };
    },
    updatePullRequest: async () => write(),
    addLabels: async () => write(),
    requestReviewers: async () => write(),
    comment: async () => write(),
  };
  return { client, counts, pulls };
}

/** A promotion audit row of checkout-api with one pull request of `fakeRepo`'s repository. */
export function auditRecord(
  id: string,
  pull: { number: number; state: 'open' | 'closed' | 'merged' },
  createdAt = '2025-06-04T10:00:00.000Z',
): PromotionRecord {
  return {
    id,
    entityRef: 'component:default/checkout-api',
    actor: 'user:default/jane',
    from: 'staging',
    to: 'prod',
    version: '1.5.0',
    targets: ['prod-eu-1', 'prod-us-1'],
    gates: [],
    pullRequests: [
      {
        wave: 0,
        url: `http://github.example/acme/payments-gitops/pull/${pull.number}`,
        number: pull.number,
        branch: 'gitops/promote/checkout-api/prod',
        state: pull.state,
        action: 'opened',
      },
    ],
    outcome: 'opened',
    message: `Opened #${pull.number}`,
    createdAt,
  };
}

/** checkout-api: staging-1 runs 1.5.0, prod (two clusters, one values file) 1.4.2. */
export function checkoutApiState(): EntityGitopsState {
  const cell = (environment: string, cluster: string, version: string) =>
    mockClusterState({
      environment,
      cluster,
      version,
      repoUrl: 'http://github.example/acme/payments-gitops.git',
    });
  return mockEntityState('component:default/checkout-api', [
    cell('staging', 'staging-1', '1.5.0'),
    cell('prod', 'prod-eu-1', '1.4.2'),
    cell('prod', 'prod-us-1', '1.4.2'),
  ]);
}
