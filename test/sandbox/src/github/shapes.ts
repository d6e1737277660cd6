import crypto from 'node:crypto';
import type {
  RepoRecord,
  PullRecord,
  CommentRecord,
  LabelRecord,
} from './model';

/** Builds JSON bodies shaped like GitHub's REST API (GHES flavour). */
export class Shapes {
  /** Set again once a server started on port 0 knows its port; routes hold this object. */
  constructor(public webUrl: string) {}

  get apiUrl(): string {
    return `${this.webUrl}/api/v3`;
  }

  nodeId(kind: string, id: number | string): string {
    return Buffer.from(`${kind}:${id}`).toString('base64').replace(/=+$/, '');
  }

  userId(login: string): number {
    return (
      crypto.createHash('sha1').update(login).digest().readUInt32BE(0) %
      1_000_000
    );
  }

  user(login: string, type: 'User' | 'Organization' | 'Bot' = 'User') {
    const url = `${this.apiUrl}/users/${login}`;
    return {
      login,
      id: this.userId(login),
      node_id: this.nodeId(
        type === 'Organization' ? 'Organization' : 'User',
        login,
      ),
      avatar_url: `${this.webUrl}/avatars/u/${this.userId(login)}`,
      gravatar_id: '',
      url,
      html_url: `${this.webUrl}/${login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type,
      site_admin: false,
      user_view_type: 'public',
    };
  }

  repo(r: RepoRecord, extra: { openIssues?: number } = {}) {
    const full = `${r.owner}/${r.name}`;
    const url = `${this.apiUrl}/repos/${full}`;
    const open = extra.openIssues ?? 0;
    return {
      id: r.id,
      node_id: this.nodeId('Repository', r.id),
      name: r.name,
      full_name: full,
      private: r.private,
      owner: this.user(r.owner, r.ownerType),
      html_url: `${this.webUrl}/${full}`,
      description: r.description,
      fork: false,
      url,
      forks_url: `${url}/forks`,
      keys_url: `${url}/keys{/key_id}`,
      collaborators_url: `${url}/collaborators{/collaborator}`,
      teams_url: `${url}/teams`,
      hooks_url: `${url}/hooks`,
      issue_events_url: `${url}/issues/events{/number}`,
      events_url: `${url}/events`,
      assignees_url: `${url}/assignees{/user}`,
      branches_url: `${url}/branches{/branch}`,
      tags_url: `${url}/tags`,
      blobs_url: `${url}/git/blobs{/sha}`,
      git_tags_url: `${url}/git/tags{/sha}`,
      git_refs_url: `${url}/git/refs{/sha}`,
      trees_url: `${url}/git/trees{/sha}`,
      statuses_url: `${url}/statuses/{sha}`,
      languages_url: `${url}/languages`,
      stargazers_url: `${url}/stargazers`,
      contributors_url: `${url}/contributors`,
      subscribers_url: `${url}/subscribers`,
      subscription_url: `${url}/subscription`,
      commits_url: `${url}/commits{/sha}`,
      git_commits_url: `${url}/git/commits{/sha}`,
      comments_url: `${url}/comments{/number}`,
      issue_comment_url: `${url}/issues/comments{/number}`,
      contents_url: `${url}/contents/{+path}`,
      compare_url: `${url}/compare/{base}...{head}`,
      merges_url: `${url}/merges`,
      archive_url: `${url}/{archive_format}{/ref}`,
      downloads_url: `${url}/downloads`,
      issues_url: `${url}/issues{/number}`,
      pulls_url: `${url}/pulls{/number}`,
      milestones_url: `${url}/milestones{/number}`,
      notifications_url: `${url}/notifications{?since,all,participating}`,
      labels_url: `${url}/labels{/name}`,
      releases_url: `${url}/releases{/id}`,
      deployments_url: `${url}/deployments`,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
      pushed_at: r.pushedAt,
      git_url: `git://localhost/${full}.git`,
      ssh_url: `git@localhost:${full}.git`,
      clone_url: `${this.webUrl}/${full}.git`,
      svn_url: `${this.webUrl}/${full}`,
      homepage: null,
      size: 1,
      stargazers_count: 0,
      watchers_count: 0,
      language: null,
      has_issues: true,
      has_projects: true,
      has_downloads: true,
      has_wiki: true,
      has_pages: false,
      has_discussions: false,
      forks_count: 0,
      mirror_url: null,
      archived: false,
      disabled: false,
      open_issues_count: open,
      license: null,
      allow_forking: true,
      is_template: false,
      web_commit_signoff_required: false,
      topics: ['gitops'],
      visibility: r.private ? 'private' : 'public',
      forks: 0,
      open_issues: open,
      watchers: 0,
      default_branch: r.defaultBranch,
      permissions: {
        admin: true,
        maintain: true,
        push: true,
        triage: true,
        pull: true,
      },
      allow_squash_merge: true,
      allow_merge_commit: true,
      allow_rebase_merge: true,
      delete_branch_on_merge: false,
      network_count: 0,
      subscribers_count: 0,
      ...(r.ownerType === 'Organization'
        ? { organization: this.user(r.owner, 'Organization') }
        : {}),
    };
  }

  ref(r: RepoRecord, ref: string, sha: string, type = 'commit') {
    const url = `${this.apiUrl}/repos/${r.owner}/${r.name}`;
    return {
      ref,
      node_id: this.nodeId('Ref', `${r.id}:${ref}`),
      url: `${url}/git/${ref}`,
      object: { sha, type, url: `${url}/git/${type}s/${sha}` },
    };
  }

  gitCommit(r: RepoRecord, sha: string, c: GitCommitData) {
    const url = `${this.apiUrl}/repos/${r.owner}/${r.name}`;
    return {
      sha,
      node_id: this.nodeId('Commit', sha),
      url: `${url}/git/commits/${sha}`,
      html_url: `${this.webUrl}/${r.owner}/${r.name}/commit/${sha}`,
      author: signature(c.author),
      committer: signature(c.committer),
      tree: { sha: c.tree, url: `${url}/git/trees/${c.tree}` },
      message: c.message.replace(/\n$/, ''),
      parents: c.parent.map(p => ({
        sha: p,
        url: `${url}/git/commits/${p}`,
        html_url: `${this.webUrl}/${r.owner}/${r.name}/commit/${p}`,
      })),
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    };
  }

  commit(r: RepoRecord, sha: string, c: GitCommitData, files?: unknown[]) {
    const url = `${this.apiUrl}/repos/${r.owner}/${r.name}`;
    const git = this.gitCommit(r, sha, c);
    return {
      url: `${url}/commits/${sha}`,
      sha,
      node_id: git.node_id,
      html_url: git.html_url,
      comments_url: `${url}/commits/${sha}/comments`,
      commit: {
        url: git.url,
        author: git.author,
        committer: git.committer,
        message: git.message,
        tree: git.tree,
        comment_count: 0,
        verification: git.verification,
      },
      author: this.user(loginOf(c.author.email)),
      committer: this.user(loginOf(c.committer.email)),
      parents: git.parents.map(p => ({
        sha: p.sha,
        url: `${url}/commits/${p.sha}`,
        html_url: p.html_url,
      })),
      ...(files
        ? {
            files,
            stats: {
              total: files.length,
              additions: files.length,
              deletions: 0,
            },
          }
        : {}),
    };
  }

  content(
    r: RepoRecord,
    path: string,
    sha: string,
    ref: string,
    size: number,
    type: 'file' | 'dir' | 'submodule' | 'symlink',
    content?: Buffer,
  ) {
    const full = `${r.owner}/${r.name}`;
    const url = `${
      this.apiUrl
    }/repos/${full}/contents/${path}?ref=${encodeURIComponent(ref)}`;
    const gitUrl = `${this.apiUrl}/repos/${full}/git/${
      type === 'dir' ? 'trees' : 'blobs'
    }/${sha}`;
    const htmlUrl = `${this.webUrl}/${full}/${
      type === 'dir' ? 'tree' : 'blob'
    }/${ref}/${path}`;
    return {
      type,
      ...(content
        ? {
            encoding: 'base64',
            content: content.toString('base64').replace(/(.{60})/g, '$1\n'),
          }
        : {}),
      size,
      name: path.split('/').pop() ?? path,
      path,
      sha,
      url,
      git_url: gitUrl,
      html_url: htmlUrl,
      download_url:
        type === 'file' ? `${this.webUrl}/${full}/raw/${ref}/${path}` : null,
      _links: { self: url, git: gitUrl, html: htmlUrl },
    };
  }

  branch(r: RepoRecord, name: string, sha: string, c: GitCommitData) {
    const url = `${this.apiUrl}/repos/${r.owner}/${r.name}`;
    return {
      name,
      commit: this.commit(r, sha, c),
      _links: {
        self: `${url}/branches/${name}`,
        html: `${this.webUrl}/${r.owner}/${r.name}/tree/${name}`,
      },
      protected: false,
      protection: {
        enabled: false,
        required_status_checks: {
          enforcement_level: 'off',
          contexts: [],
          checks: [],
        },
      },
      protection_url: `${url}/branches/${name}/protection`,
    };
  }

  label(r: RepoRecord, l: LabelRecord) {
    return {
      id: l.id,
      node_id: this.nodeId('Label', l.id),
      url: `${this.apiUrl}/repos/${r.owner}/${
        r.name
      }/labels/${encodeURIComponent(l.name)}`,
      name: l.name,
      color: l.color,
      default: false,
      description: l.description,
    };
  }

  comment(r: RepoRecord, c: CommentRecord) {
    const url = `${this.apiUrl}/repos/${r.owner}/${r.name}`;
    return {
      id: c.id,
      node_id: this.nodeId('IssueComment', c.id),
      url: `${url}/issues/comments/${c.id}`,
      html_url: `${this.webUrl}/${r.owner}/${r.name}/pull/${c.issueNumber}#issuecomment-${c.id}`,
      body: c.body,
      user: this.user(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      issue_url: `${url}/issues/${c.issueNumber}`,
      author_association: 'MEMBER',
    };
  }

  pull(
    r: RepoRecord,
    p: PullRecord,
    heads: { headSha: string; baseSha: string },
    labels: LabelRecord[],
    extra: {
      comments: number;
      commits: number;
      changedFiles: number;
      mergeable: boolean | null;
    },
    full = true,
  ) {
    const url = `${this.apiUrl}/repos/${r.owner}/${r.name}`;
    const pullUrl = `${url}/pulls/${p.number}`;
    const html = `${this.webUrl}/${r.owner}/${r.name}/pull/${p.number}`;
    const repo = this.repo(r);
    const side = (ref: string, sha: string) => ({
      label: `${r.owner}:${ref}`,
      ref,
      sha,
      user: this.user(r.owner, r.ownerType),
      repo,
    });
    const simple = {
      url: pullUrl,
      id: p.id,
      node_id: this.nodeId('PullRequest', p.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${url}/issues/${p.number}`,
      number: p.number,
      state: p.state,
      locked: false,
      title: p.title,
      user: this.user(p.user),
      body: p.body,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
      closed_at: p.closedAt,
      merged_at: p.mergedAt,
      merge_commit_sha: p.mergeCommitSha,
      assignee: null,
      assignees: [],
      requested_reviewers: p.requestedReviewers.map(login => this.user(login)),
      requested_teams: p.requestedTeams.map(slug => this.team(r.owner, slug)),
      labels: labels.map(l => this.label(r, l)),
      milestone: null,
      draft: p.draft,
      commits_url: `${pullUrl}/commits`,
      review_comments_url: `${pullUrl}/comments`,
      review_comment_url: `${url}/pulls/comments{/number}`,
      comments_url: `${url}/issues/${p.number}/comments`,
      statuses_url: `${url}/statuses/${heads.headSha}`,
      head: side(p.head, heads.headSha),
      base: side(p.base, heads.baseSha),
      _links: {
        self: { href: pullUrl },
        html: { href: html },
        issue: { href: `${url}/issues/${p.number}` },
        comments: { href: `${url}/issues/${p.number}/comments` },
        review_comments: { href: `${pullUrl}/comments` },
        review_comment: { href: `${url}/pulls/comments{/number}` },
        commits: { href: `${pullUrl}/commits` },
        statuses: { href: `${url}/statuses/${heads.headSha}` },
      },
      author_association: 'MEMBER',
      auto_merge: null,
      active_lock_reason: null,
    };
    if (!full) return simple;
    return {
      ...simple,
      merged: p.merged,
      mergeable: extra.mergeable,
      rebaseable: extra.mergeable,
      mergeable_state: mergeableState(p.state, extra.mergeable),
      merged_by: p.mergedBy ? this.user(p.mergedBy) : null,
      comments: extra.comments,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: extra.commits,
      additions: extra.changedFiles,
      deletions: extra.changedFiles,
      changed_files: extra.changedFiles,
    };
  }

  team(org: string, slug: string) {
    const id = this.userId(`team:${org}/${slug}`);
    return {
      id,
      node_id: this.nodeId('Team', id),
      url: `${this.apiUrl}/teams/${id}`,
      html_url: `${this.webUrl}/orgs/${org}/teams/${slug}`,
      name: slug,
      slug,
      description: null,
      privacy: 'closed',
      notification_setting: 'notifications_enabled',
      permission: 'push',
      members_url: `${this.apiUrl}/teams/${id}/members{/member}`,
      repositories_url: `${this.apiUrl}/teams/${id}/repos`,
      parent: null,
      type: 'organization',
    };
  }

  error(
    message: string,
    documentationUrl: string,
    status: number,
    errors?: unknown[],
  ) {
    return {
      message,
      ...(errors ? { errors } : {}),
      documentation_url: documentationUrl,
      status: String(status),
    };
  }
}

export interface GitCommitData {
  message: string;
  tree: string;
  parent: string[];
  author: {
    name: string;
    email: string;
    timestamp: number;
    timezoneOffset: number;
  };
  committer: {
    name: string;
    email: string;
    timestamp: number;
    timezoneOffset: number;
  };
}

function signature(s: { name: string; email: string; timestamp: number }) {
  return {
    name: s.name,
    email: s.email,
    date: new Date(s.timestamp * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

function loginOf(email: string): string {
  return email.split('@')[0].replace(/[^a-zA-Z0-9-]/g, '-');
}

function mergeableState(state: string, mergeable: boolean | null): string {
  if (state === 'closed') return 'unknown';
  return mergeable === false ? 'dirty' : 'clean';
}
