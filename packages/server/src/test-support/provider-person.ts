/**
 * A person with a browser-like cookie jar who signs in at the test provider by filling its forms
 * (oidc-provider's login, consent and device pages) with plain fetch. It follows redirects itself
 * so a test can stop at any address, such as the Countersign callback, and tamper with it.
 */
export class ProviderPerson {
  readonly #cookies = new Map<string, Map<string, string>>();

  constructor(readonly login: string) {}

  /** The Cookie header this person's browser would send to `url`. */
  cookieFor(url: string): string {
    const jar = this.#cookies.get(new URL(url).host);
    return jar ? [...jar].map(([name, value]) => `${name}=${value}`).join('; ') : '';
  }

  /** Sets a cookie for the host of `url`, as if a page had set it. */
  setCookie(url: string, name: string, value: string): void {
    const host = new URL(url).host;
    const jar = this.#cookies.get(host) ?? new Map<string, string>();
    jar.set(name, value);
    this.#cookies.set(host, jar);
  }

  #remember(url: string, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = (pair as string).indexOf('=');
      const name = (pair as string).slice(0, index).trim();
      const value = (pair as string).slice(index + 1).trim();
      const expired = /max-age=0\b/i.test(line) || /expires=thu, 01 jan 1970/i.test(line);
      const host = new URL(url).host;
      const jar = this.#cookies.get(host) ?? new Map<string, string>();
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
      this.#cookies.set(host, jar);
    }
  }

  /** One request with the jar's cookies; redirects are not followed. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.cookieFor(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.#remember(url, response);
    return response;
  }

  /**
   * Goes to `url` and on: follows redirects and fills every provider form (login, consent, device
   * code and confirmation) until a page without a form, or an address for which `stopAt` is true
   * (that address is returned unvisited).
   */
  async browse(
    url: string,
    options: { stopAt?: (url: URL) => boolean; userCode?: string } = {},
  ): Promise<{ url: string; response?: Response; text?: string }> {
    let next: { url: string; init?: RequestInit } = { url };
    for (let step = 0; step < 30; step++) {
      if (options.stopAt?.(new URL(next.url))) return { url: next.url };
      const response = await this.request(next.url, next.init);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        next = { url: new URL(location, next.url).href };
        continue;
      }
      const text = await response.text();
      const form = fillForm(text, {
        login: this.login,
        password: 'any',
        user_code: options.userCode,
      });
      if (!form || response.status >= 400) return { url: next.url, response, text };
      next = {
        url: new URL(form.action, next.url).href,
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.body,
        },
      };
    }
    throw new Error(`Too many steps signing in from ${url}`);
  }
}

/** The first form of a page with its inputs, the given fields filled in; undefined without one. */
function fillForm(
  html: string,
  values: Record<string, string | undefined>,
): { action: string; body: string } | undefined {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const action = /action="([^"]*)"/i.exec(form[1] as string)?.[1] ?? '';
  const body = new URLSearchParams();
  for (const input of (form[2] as string).matchAll(/<input\b([^>]*)>/gi)) {
    const attributes = input[1] as string;
    const name = /name="([^"]*)"/i.exec(attributes)?.[1];
    if (!name) continue;
    const value = /value="([^"]*)"/i.exec(attributes)?.[1] ?? '';
    body.set(name, values[name] ?? value.replace(/&amp;/g, '&'));
  }
  return { action: action.replace(/&amp;/g, '&'), body: body.toString() };
}
