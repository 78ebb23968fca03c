import {
  CountersignError,
  ERROR_HTTP_STATUS,
  type GrantSpec,
  isWireErrorCode,
} from '@countersign/core/protocol';
import { type Context, Hono } from 'hono';
import { userPrincipal } from '../../auth/principal.js';
import type { AppEnv } from '../../http/auth-middleware.js';
import { readBody } from '../../http/read-body.js';
import { decideRequest } from '../../service/decide-request.js';
import {
  type GrantForm,
  grantChoicesFor,
  grantFieldOf,
  grantSpecFromForm,
} from '../../service/grant-choices.js';
import type { ServiceContext } from '../../service/service-context.js';
import { confirmationPage, messagePage } from './decision-page.js';
import { grantFormFromPost } from './grant-section.js';
import { type RefusedLink, readLink, type UsableLink } from './link-state.js';

// The token rides in the URL: keep it out of Referer headers, caches and frames.
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

const html = (c: Context<AppEnv>, status: number, body: string) =>
  c.body(body, status as 200, HEADERS);

/** The page's status for a refused decision: the API's for its code (409 for a local one). */
const statusOf = (code: string) => (isWireErrorCode(code) ? ERROR_HTTP_STATUS[code] : 409);

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** What the confirmation form may send: a decision, a reason (for reject) and a comment. */
function decisionFrom(form: URLSearchParams):
  | {
      outcome: 'approve' | 'reject';
      reason?: string;
      comment?: string;
    }
  | undefined {
  const outcome = form.get('decision');
  const reason = form.get('reason')?.trim().slice(0, 4000);
  const comment = form.get('comment')?.trim().slice(0, 4000);
  if (outcome !== 'approve' && outcome !== 'reject') return undefined;
  if (outcome === 'reject' && !reason) return undefined;
  return {
    outcome,
    ...(outcome === 'reject' && reason ? { reason } : {}),
    ...(comment ? { comment } : {}),
  };
}

/**
 * `GET /d/:token` shows a signed link's confirmation page and changes nothing (mail scanners
 * prefetch links); `POST /d/:token` decides, once, as the link's recipient through the same
 * service as every other decision. With `decisionLinks: 'sign-in'` both point to the dashboard.
 */
export function decisionLinkRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  /** The page for `link`; after a refused grant, with the reviewer's choices and why. */
  const confirmation = (
    path: string,
    link: UsableLink,
    refused?: { form: GrantForm & { enabled: boolean }; error: unknown },
  ) => {
    const choices = grantChoicesFor(context, link.request);
    const grant = choices && {
      choices,
      ...(refused
        ? {
            form: refused.form,
            problem: { field: grantFieldOf(refused.error), message: messageOf(refused.error) },
          }
        : {}),
    };
    return confirmationPage(
      link.request,
      link.user.displayName ?? link.user.name,
      path,
      context.notifier?.dashboardLink(link.request.id) ?? '/',
      context.clock.now(),
      grant,
    );
  };
  const refusal = (c: Context<AppEnv>, link: RefusedLink) =>
    html(
      c,
      link.status,
      messagePage(
        link.title,
        link.text,
        link.requestId ? context.notifier?.dashboardLink(link.requestId) : undefined,
      ),
    );

  app.get('/d/:token', async (c) => {
    const notifier = context.notifier;
    if (notifier?.decisionLinks !== 'decide') {
      return html(
        c,
        403,
        messagePage(
          'Sign in to decide',
          'This server takes decisions in the dashboard only.',
          notifier ? `${notifier.publicUrl}/` : undefined,
        ),
      );
    }
    const link = await readLink(context, notifier, c.req.param('token'));
    if ('status' in link) return refusal(c, link);
    return html(c, 200, confirmation(c.req.path, link));
  });

  app.post('/d/:token', async (c) => {
    const notifier = context.notifier;
    if (notifier?.decisionLinks !== 'decide') {
      return html(
        c,
        403,
        messagePage('Sign in to decide', 'This server takes decisions in the dashboard only.'),
      );
    }
    const form = new URLSearchParams(await readBody(c, 64 * 1024));
    const decision = decisionFrom(form);
    if (!decision) {
      return html(
        c,
        400,
        messagePage('Nothing was decided', 'Choose Approve, or Reject with a reason.'),
      );
    }
    const link = await readLink(context, notifier, c.req.param('token'));
    if ('status' in link) return refusal(c, link);
    const { claims, request, user } = link;
    const dashboard = notifier.dashboardLink(request.id);
    const grantForm = grantFormFromPost(form);
    const withGrant = decision.outcome === 'approve' && grantForm.enabled;
    // A grant whose fields do not even parse is shown again before the link is spent.
    let grant: GrantSpec | undefined;
    try {
      if (withGrant) grant = grantSpecFromForm(request, grantForm);
    } catch (error) {
      return html(
        c,
        400,
        grantChoicesFor(context, request)
          ? confirmation(c.req.path, link, { form: grantForm, error })
          : messagePage('Nothing was decided', messageOf(error), dashboard),
      );
    }
    const at = new Date(context.clock.now()).toISOString();
    if (!(await context.store.transaction((tx) => tx.claimLink(claims.nonce, request.id, at)))) {
      return refusal(c, {
        status: 409,
        title: 'This link was already used',
        text: 'Each decision link works once.',
        requestId: request.id,
      });
    }
    try {
      const decided = await decideRequest(
        context,
        userPrincipal(user, `link:${claims.nonce}`),
        request.id,
        {
          ...decision,
          ...(grant ? { grant } : {}),
          expectedVersion: request.version,
        },
        'email_link',
      );
      const word = decision.outcome === 'approve' ? 'Approved' : 'Rejected';
      const state = decided.status === 'pending' ? ' It waits for more approvals.' : '';
      const added = decided.decisions.at(-1)?.addedGrant;
      // Without a lifetime the grant got the default, which the caps may shorten below 1 h.
      const lifetime = grant?.lifetime ?? grantChoicesFor(context, request)?.defaultLifetime;
      const granted = added
        ? ` Calls like it are now approved at once for ${lifetime} (grant ${added}).`
        : '';
      return html(
        c,
        200,
        messagePage(
          `${word}. Thank you.`,
          `Your decision on “${request.action}” is recorded.${state}${granted}`,
          dashboard,
        ),
      );
    } catch (error) {
      await context.store.transaction((tx) => tx.releaseLink(claims.nonce));
      if (!CountersignError.isInstance(error)) throw error;
      const status = statusOf(error.code);
      // A grant the decision refused (a bad condition, too long): the page again, to fix it.
      if (withGrant && status !== 403 && grantChoicesFor(context, request)) {
        return html(c, status, confirmation(c.req.path, link, { form: grantForm, error }));
      }
      return html(c, status, messagePage('Nothing was decided', error.message, dashboard));
    }
  });
  return app;
}
