/**
 * One check-then-write at a time per repository, as on GitHub, where checking a ref and moving
 * it, or checking for an open pull request and opening one, is atomic: without it two concurrent
 * non-forced updates from the same sha could both pass the fast-forward check, and two
 * concurrent pull requests for one branch could both be opened.
 */
const refWrites = new WeakMap<object, Promise<unknown>>();
export function atomically<T>(
  repo: object,
  write: () => Promise<T>,
): Promise<T> {
  const previous = refWrites.get(repo) ?? Promise.resolve();
  const next = previous.then(write, write);
  refWrites.set(
    repo,
    next.catch(() => undefined),
  );
  return next;
}
