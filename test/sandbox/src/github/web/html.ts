/** Markup that is already safe to put into a page (escaped or built from escaped parts). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Escapes text for an HTML element body or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

type Part = Html | string | number | undefined | null | false | Part[];

function render(part: Part): string {
  if (part === undefined || part === null || part === false) return '';
  if (Array.isArray(part)) return part.map(render).join('');
  if (part instanceof Html) return part.value;
  return escapeHtml(String(part));
}

/**
 * A template tag (not named `html`, so formatters leave the markup alone): interpolated strings
 * are escaped, {@link Html} values and arrays of them are not.
 */
export function markup(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0];
  parts.forEach((part, i) => {
    out += render(part) + strings[i + 1];
  });
  return new Html(out);
}

const STYLE = `
body{font:14px/1.5 system-ui,sans-serif;margin:0;color:#1f2328;background:#fff}
header{background:#24292f;color:#fff;padding:8px 24px}
header a{color:#fff}
main{max-width:1100px;margin:0 auto;padding:16px 24px}
a{color:#0550ae}
.state{display:inline-block;border-radius:2em;padding:2px 12px;color:#fff;font-weight:600}
.state-open{background:#1a7f37}.state-merged{background:#8250df}.state-closed{background:#cf222e}
.box{border:1px solid #d0d7de;border-radius:6px;margin:12px 0}
.box>h3,.box>h2{margin:0;padding:8px 12px;background:#f6f8fa;border-bottom:1px solid #d0d7de;font-size:14px}
.box>.content{padding:8px 12px}
pre{margin:0;font:12px/1.45 ui-monospace,monospace;overflow-x:auto}
.diff span{display:block;padding:0 12px;white-space:pre}
.diff .add{background:#dafbe1}.diff .del{background:#ffebe9}.diff .hunk{background:#ddf4ff;color:#57606a}
.file{padding:8px 12px}
ul.plain{list-style:none;padding:0;margin:0}
ul.plain li{padding:6px 12px;border-top:1px solid #d0d7de}
ul.plain li:first-child{border-top:0}
code.sha{font:12px ui-monospace,monospace}
.error{border:1px solid #cf222e;background:#ffebe9;padding:8px 12px;border-radius:6px}
button{background:#1f883d;color:#fff;border:1px solid #1a7f37;border-radius:6px;padding:5px 16px;font-weight:600;cursor:pointer}
`;

/** A whole page: title, a header linking home to the repository, and the body. */
export function page(args: {
  title: string;
  repo?: { owner: string; name: string };
  body: Html;
}): string {
  const repoLink = args.repo
    ? markup` / <a href="/${args.repo.owner}/${args.repo.name}">${args.repo.owner}/${args.repo.name}</a>`
    : '';
  const style = new Html(STYLE);
  return `<!doctype html>${markup`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${args.title}</title><style>${style}</style></head><body><header>GitOps sandbox GitHub${repoLink}</header><main>${args.body}</main></body></html>`}`;
}
