import fs from 'node:fs';
import git from 'isomorphic-git';

export interface Signature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  timestamp: number;
  timezoneOffset?: number;
}

export interface TreeEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
}

/** A change for {@link GitRepo.writeTreeWith}: a blob oid (with mode) or null to delete. */
export type FileChange = { oid: string; mode?: string } | null;

/** A file that differs between two commits, see {@link GitRepo.changes}. */
export interface FileChangeEntry {
  path: string;
  status: 'added' | 'modified' | 'removed';
  oldOid?: string;
  newOid?: string;
}

export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export class GitError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'conflict' | 'invalid',
  ) {
    super(message);
  }
}

/** A bare git repository on disk, read and written with isomorphic-git. */
export class GitRepo {
  private readonly cache = {};

  constructor(readonly gitdir: string) {}

  static async init(gitdir: string, defaultBranch = 'main'): Promise<GitRepo> {
    fs.mkdirSync(gitdir, { recursive: true });
    await git.init({ fs, gitdir, bare: true, defaultBranch });
    // Let `git http-backend` accept pushes and keep objects readable by isomorphic-git.
    await git.setConfig({
      fs,
      gitdir,
      path: 'http.receivepack',
      value: 'true',
    });
    await git.setConfig({
      fs,
      gitdir,
      path: 'receive.denyCurrentBranch',
      value: 'ignore',
    });
    return new GitRepo(gitdir);
  }

  private get base() {
    return { fs, gitdir: this.gitdir, cache: this.cache };
  }

  async resolve(ref: string): Promise<string | undefined> {
    if (/^[0-9a-f]{40}$/.test(ref))
      return (await this.exists(ref)) ? ref : undefined;
    for (const candidate of ref.startsWith('refs/')
      ? [ref]
      : [`refs/heads/${ref}`, `refs/tags/${ref}`]) {
      try {
        return await git.resolveRef({ ...this.base, ref: candidate });
      } catch {
        // try next
      }
    }
    if (/^[0-9a-f]{4,39}$/.test(ref)) {
      try {
        return await git.expandOid({ ...this.base, oid: ref });
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  async exists(oid: string): Promise<boolean> {
    try {
      await git.readObject({ ...this.base, oid, format: 'deflated' });
      return true;
    } catch {
      return false;
    }
  }

  async objectType(oid: string): Promise<string | undefined> {
    try {
      return (await git.readObject({ ...this.base, oid, format: 'parsed' }))
        .type;
    } catch {
      return undefined;
    }
  }

  /** All refs (full names) with their oids, optionally under a prefix like `refs/heads/`. */
  async refs(prefix = 'refs/'): Promise<{ ref: string; oid: string }[]> {
    const result: { ref: string; oid: string }[] = [];
    for (const dir of ['refs/heads', 'refs/tags']) {
      const names = await git.listRefs({ ...this.base, filepath: dir });
      for (const name of names) {
        const ref = `${dir}/${name}`;
        if (!ref.startsWith(prefix)) continue;
        result.push({ ref, oid: await git.resolveRef({ ...this.base, ref }) });
      }
    }
    return result.sort((a, b) => a.ref.localeCompare(b.ref));
  }

  async writeRef(ref: string, oid: string): Promise<void> {
    await git.writeRef({ ...this.base, ref, value: oid, force: true });
  }

  async deleteRef(ref: string): Promise<void> {
    await git.deleteRef({ ...this.base, ref });
  }

  async writeBlob(content: Buffer): Promise<string> {
    return git.writeBlob({ ...this.base, blob: new Uint8Array(content) });
  }

  async readBlob(oid: string): Promise<Buffer> {
    const { blob } = await git.readBlob({ ...this.base, oid });
    return Buffer.from(blob);
  }

  async readTree(oid: string): Promise<TreeEntry[]> {
    const { tree } = await git.readTree({ ...this.base, oid });
    return tree as TreeEntry[];
  }

  /** Every entry below a tree, with full paths (trees included), like `?recursive=1`. */
  async readTreeRecursive(oid: string, prefix = ''): Promise<TreeEntry[]> {
    const result: TreeEntry[] = [];
    for (const entry of await this.readTree(oid)) {
      const path = prefix ? `${prefix}/${entry.path}` : entry.path;
      result.push({ ...entry, path });
      if (entry.type === 'tree')
        result.push(...(await this.readTreeRecursive(entry.oid, path)));
    }
    return result;
  }

  async writeTree(entries: TreeEntry[]): Promise<string> {
    return git.writeTree({ ...this.base, tree: entries as any });
  }

  /**
   * Writes a tree equal to `baseTree` (or empty) with `changes` applied;
   * change paths may be nested (`a/b/c.yaml`). Empty directories disappear.
   */
  async writeTreeWith(
    baseTree: string | undefined,
    changes: Map<string, FileChange>,
  ): Promise<string> {
    const entries = new Map<string, TreeEntry>();
    if (baseTree && baseTree !== EMPTY_TREE) {
      for (const entry of await this.readTree(baseTree))
        entries.set(entry.path, entry);
    }
    const nested = new Map<string, Map<string, FileChange>>();
    for (const [path, change] of changes) {
      const slash = path.indexOf('/');
      if (slash < 0) {
        if (change === null) entries.delete(path);
        else
          entries.set(path, {
            path,
            mode: change.mode ?? '100644',
            type: change.mode === '040000' ? 'tree' : 'blob',
            oid: change.oid,
          });
      } else {
        const dir = path.slice(0, slash);
        if (!nested.has(dir)) nested.set(dir, new Map());
        nested.get(dir)!.set(path.slice(slash + 1), change);
      }
    }
    for (const [dir, subChanges] of nested) {
      const existing = entries.get(dir);
      const subTree = await this.writeTreeWith(
        existing?.type === 'tree' ? existing.oid : undefined,
        subChanges,
      );
      if (subTree === EMPTY_TREE) entries.delete(dir);
      else
        entries.set(dir, {
          path: dir,
          mode: '040000',
          type: 'tree',
          oid: subTree,
        });
    }
    return this.writeTree([...entries.values()]);
  }

  async writeCommit(args: {
    message: string;
    tree: string;
    parents: string[];
    author: Signature;
    committer?: Signature;
  }): Promise<string> {
    const author = { timezoneOffset: 0, ...args.author };
    const committer = { timezoneOffset: 0, ...(args.committer ?? args.author) };
    return git.writeCommit({
      ...this.base,
      commit: {
        message: args.message.endsWith('\n')
          ? args.message
          : `${args.message}\n`,
        tree: args.tree,
        parent: args.parents,
        author,
        committer,
      },
    });
  }

  async readCommit(oid: string) {
    const { commit } = await git.readCommit({ ...this.base, oid });
    return commit;
  }

  /** The entry at `path` in the tree of commit `commitOid`, or undefined. */
  async entryAt(
    commitOid: string,
    path: string,
  ): Promise<TreeEntry | undefined> {
    const clean = path.replace(/^\/+|\/+$/g, '');
    const commit = await this.readCommit(commitOid);
    if (!clean)
      return { path: '', mode: '040000', type: 'tree', oid: commit.tree };
    let treeOid = commit.tree;
    const parts = clean.split('/');
    for (let i = 0; i < parts.length; i++) {
      const entry = (await this.readTree(treeOid)).find(
        e => e.path === parts[i],
      );
      if (!entry) return undefined;
      if (i === parts.length - 1) return { ...entry, path: clean };
      if (entry.type !== 'tree') return undefined;
      treeOid = entry.oid;
    }
    return undefined;
  }

  async readFile(ref: string, path: string): Promise<Buffer | undefined> {
    const oid = await this.resolve(ref);
    if (!oid) return undefined;
    const entry = await this.entryAt(oid, path);
    if (!entry || entry.type !== 'blob') return undefined;
    return this.readBlob(entry.oid);
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    if (ancestor === descendant) return true;
    return git.isDescendent({
      ...this.base,
      oid: descendant,
      ancestor,
      depth: -1,
    });
  }

  /** The best common ancestor of two commits (what `base...head` compares from). */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const [oid] = await git.findMergeBase({ ...this.base, oids: [a, b] });
    return oid;
  }

  /**
   * Files (blobs) that differ between the trees of two commits, by path, sorted;
   * `from` undefined means an empty tree (a root commit).
   */
  async changes(
    from: string | undefined,
    to: string,
  ): Promise<FileChangeEntry[]> {
    const blobs = async (commit: string | undefined) => {
      const map = new Map<string, string>();
      if (!commit) return map;
      const tree = (await this.readCommit(commit)).tree;
      for (const e of await this.readTreeRecursive(tree))
        if (e.type === 'blob') map.set(e.path, e.oid);
      return map;
    };
    const before = await blobs(from);
    const after = await blobs(to);
    const result: FileChangeEntry[] = [];
    for (const [path, oid] of after) {
      const old = before.get(path);
      if (old === oid) continue;
      result.push({
        path,
        status: old ? 'modified' : 'added',
        oldOid: old,
        newOid: oid,
      });
    }
    for (const [path, oid] of before)
      if (!after.has(path))
        result.push({ path, status: 'removed', oldOid: oid });
    return result.sort((x, y) => x.path.localeCompare(y.path));
  }

  /** Commits reachable from `oid`, newest first. */
  async log(oid: string, depth = 50) {
    return git.log({ ...this.base, ref: oid, depth });
  }

  /**
   * Three-way merge of `theirs` into `ours` (commit oids). Returns the merged tree,
   * or throws GitError('conflict'). Does not write refs.
   */
  async mergeTree(
    ours: string,
    theirs: string,
    author: Signature,
  ): Promise<{ tree: string; fastForward: boolean }> {
    if (await this.isAncestor(ours, theirs)) {
      return { tree: (await this.readCommit(theirs)).tree, fastForward: true };
    }
    try {
      const tmpRef = `refs/sandbox/merge-${Date.now()}-${Math.random()
        .toString(16)
        .slice(2)}`;
      await this.writeRef(tmpRef, ours);
      try {
        const result = await git.merge({
          ...this.base,
          ours: tmpRef,
          theirs,
          fastForward: false,
          noUpdateBranch: true,
          abortOnConflict: true,
          author: { ...author, timezoneOffset: 0 },
          committer: { ...author, timezoneOffset: 0 },
          message: 'sandbox merge',
        });
        return {
          tree: (await this.readCommit(result.oid!)).tree,
          fastForward: false,
        };
      } finally {
        await this.deleteRef(tmpRef).catch(() => undefined);
      }
    } catch (error) {
      if (
        (error as { code?: string }).code === 'MergeConflictError' ||
        (error as { code?: string }).code === 'MergeNotSupportedError'
      ) {
        throw new GitError('Merge conflict', 'conflict');
      }
      throw error;
    }
  }
}
