import { buildSchema, graphql } from 'graphql';
import type { PullRecord } from './model';
import type { Shapes } from './shapes';
import type { GitHubStore, RepoState } from './store';

/**
 * The slice of GitHub's GraphQL schema that clients of the stand-in use: repositories, their refs
 * and the pull requests associated with a ref (octokit-plugin-create-pull-request, behind the
 * scaffolder's `publish:github:pull-request`, asks whether the head branch exists and has an open
 * pull request). Field names and shapes follow https://docs.github.com/graphql.
 */
const schema = buildSchema(`
  enum PullRequestState { OPEN CLOSED MERGED }

  type PullRequest {
    id: ID!
    number: Int!
    url: String!
    title: String!
    state: PullRequestState!
    headRefName: String!
    baseRefName: String!
  }

  type PullRequestEdge { node: PullRequest }

  type PullRequestConnection {
    edges: [PullRequestEdge]
    nodes: [PullRequest]
    totalCount: Int!
  }

  type GitObject { oid: String! }

  type Ref {
    id: ID!
    name: String!
    prefix: String!
    target: GitObject
    associatedPullRequests(first: Int, states: [PullRequestState!]): PullRequestConnection!
  }

  type Repository {
    id: ID!
    name: String!
    nameWithOwner: String!
    url: String!
    defaultBranchRef: Ref
    ref(qualifiedName: String!): Ref
  }

  type Query {
    repository(owner: String!, name: String!): Repository
  }
`);

type PullState = 'OPEN' | 'CLOSED' | 'MERGED';

function pullState(pull: PullRecord): PullState {
  if (pull.merged) return 'MERGED';
  return pull.state === 'open' ? 'OPEN' : 'CLOSED';
}

/** Executes GraphQL requests (`POST /api/graphql`, as on GitHub Enterprise) against the store. */
export class GitHubGraphql {
  constructor(
    private readonly store: GitHubStore,
    private readonly shapes: () => Shapes,
  ) {}

  async execute(body: {
    query?: unknown;
    variables?: Record<string, unknown>;
  }): Promise<{ data?: unknown; errors?: unknown[] }> {
    if (typeof body.query !== 'string') {
      return {
        errors: [
          {
            message:
              'A query attribute must be specified and must be a string.',
          },
        ],
      };
    }
    const result = await graphql({
      schema,
      source: body.query,
      rootValue: {
        repository: ({ owner, name }: { owner: string; name: string }) => {
          const state = this.store.find(owner, name);
          return state ? this.repository(state) : null;
        },
      },
      variableValues: body.variables ?? {},
    });
    return {
      ...(result.data ? { data: result.data } : {}),
      ...(result.errors
        ? {
            errors: result.errors.map(e => ({
              message: e.message,
              locations: e.locations,
              path: e.path,
            })),
          }
        : {}),
    };
  }

  private repository(state: RepoState) {
    const shapes = this.shapes();
    const { record } = state;
    return {
      id: shapes.nodeId('Repository', record.id),
      name: record.name,
      nameWithOwner: `${record.owner}/${record.name}`,
      url: `${shapes.webUrl}/${record.owner}/${record.name}`,
      defaultBranchRef: () =>
        this.ref(state, `refs/heads/${record.defaultBranch}`),
      ref: ({ qualifiedName }: { qualifiedName: string }) =>
        qualifiedName.startsWith('refs/')
          ? this.ref(state, qualifiedName)
          : this.ref(state, `refs/heads/${qualifiedName}`).then(
              head => head ?? this.ref(state, `refs/tags/${qualifiedName}`),
            ),
    };
  }

  private async ref(state: RepoState, qualifiedName: string) {
    const oid = await state.git.resolve(qualifiedName);
    if (!oid) return null;
    const shapes = this.shapes();
    const { record } = state;
    const slash = qualifiedName.indexOf('/', 'refs/'.length);
    const name = qualifiedName.slice(slash + 1);
    const isBranch = qualifiedName.startsWith('refs/heads/');
    return {
      id: shapes.nodeId('Ref', `${record.id}:${qualifiedName}`),
      name,
      prefix: qualifiedName.slice(0, slash + 1),
      target: { oid },
      associatedPullRequests: ({
        first,
        states,
      }: {
        first?: number;
        states?: PullState[];
      }) => {
        const pulls = state.pulls
          .filter(p => isBranch && p.head === name)
          .map(p => ({
            pull: p,
            state: pullState(p),
          }))
          .filter(p => !states?.length || states.includes(p.state));
        const nodes = pulls
          .slice(0, first ?? pulls.length)
          .map(({ pull, state: prState }) => ({
            id: shapes.nodeId('PullRequest', pull.id),
            number: pull.number,
            url: `${shapes.webUrl}/${record.owner}/${record.name}/pull/${pull.number}`,
            title: pull.title,
            state: prState,
            headRefName: pull.head,
            baseRefName: pull.base,
          }));
        return {
          edges: nodes.map(node => ({ node })),
          nodes,
          totalCount: pulls.length,
        };
      },
    };
  }
}
