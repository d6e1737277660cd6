/** A tiny method + path-template router: `/repos/:owner/:repo/contents/*path`. */
export type Params = Record<string, string>;

interface Route<H> {
  method: string;
  template: string;
  regex: RegExp;
  keys: string[];
  handler: H;
}

export interface RouteMatch<H> {
  handler: H;
  params: Params;
  template: string;
}

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string, template: string, handler: H): this {
    const keys: string[] = [];
    const pattern = template
      .split('/')
      .map(part => {
        if (part.startsWith(':')) {
          keys.push(part.slice(1));
          return '([^/]+)';
        }
        if (part.startsWith('*')) {
          keys.push(part.slice(1));
          return '?(.*)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({
      method,
      template,
      regex: new RegExp(`^${pattern}/?$`),
      keys,
      handler,
    });
    return this;
  }

  match(
    method: string,
    path: string,
  ): RouteMatch<H> | 'method-not-allowed' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (
        route.method !== method &&
        !(method === 'HEAD' && route.method === 'GET')
      )
        continue;
      const params: Params = {};
      route.keys.forEach((key, i) => {
        params[key] = decodeURIComponent(m[i + 1] ?? '');
      });
      return {
        handler: route.handler,
        params,
        template: `${route.method} ${route.template}`,
      };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}
