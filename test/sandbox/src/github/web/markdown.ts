import { Marked, Tokens } from 'marked';
import { escapeHtml, Html } from './html';

const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);

/** True for relative URLs and http(s)/mailto ones; false for `javascript:`, `data:` and the like. */
function isSafeUrl(href: string): boolean {
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(href);
  return !scheme || ALLOWED_SCHEMES.has(scheme[1].toLowerCase());
}

// Pull request bodies are untrusted: raw HTML in them is shown as text (comments are dropped), and links or images
// with a script-capable scheme lose their URL. Returning false keeps marked's own renderer.
const marked = new Marked({
  gfm: true,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag) {
      // GitHub hides HTML comments (the promotion engine keeps a marker in one).
      if (/^\s*(?:<!--[\s\S]*?-->\s*)+$/.test(text)) return '';
      return escapeHtml(text);
    },
    link(token: Tokens.Link) {
      return isSafeUrl(token.href)
        ? false
        : this.parser.parseInline(token.tokens);
    },
    image(token: Tokens.Image) {
      return isSafeUrl(token.href) ? false : escapeHtml(token.text);
    },
  },
});

/** GitHub-flavoured Markdown to HTML, safe to embed although the Markdown is not trusted. */
export function renderMarkdown(markdown: string): Html {
  return new Html(marked.parse(markdown, { async: false }) as string);
}
