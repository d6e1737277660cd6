/** Short form of a Git commit sha; other revisions (tags, chart versions) are kept whole. */
export function shortRevision(revision: string): string {
  return /^[0-9a-f]{40}$/i.test(revision) ? revision.slice(0, 7) : revision;
}
