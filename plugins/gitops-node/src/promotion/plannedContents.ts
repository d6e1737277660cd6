// New file contents of recent plans, so executing a plan does not read the files again. Keyed by
// blob sha, field and written value, which fix the content; an entry missing here is recomputed from
// the blob.
const contents = new Map<string, string>();
const LIMIT = 200;

export function rememberContents(
  blobSha: string,
  field: string,
  value: string,
  content: string,
) {
  const key = `${blobSha}:${field}:${value}`;
  contents.delete(key);
  contents.set(key, content);
  if (contents.size > LIMIT) {
    contents.delete(contents.keys().next().value!);
  }
}

export function recallContents(
  blobSha: string,
  field: string,
  value: string,
): string | undefined {
  return contents.get(`${blobSha}:${field}:${value}`);
}
