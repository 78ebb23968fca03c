import { useDashboard } from '../dashboard-state';
import { type Route, routeHash } from '../lib/hash-route';
import { describePrincipal } from '../lib/request-facts';

const STREAM_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  'signed-out': 'Signed out',
} as const;

/** The top bar: navigation, the live connection in words, who is signed in, sign out. */
export function Header(props: { route: Route }) {
  const { me, stream, requests, signOut } = useDashboard();
  const pending = [...requests.values()].filter((r) => r.status === 'pending').length;
  const current = (page: Route['page']) => (props.route.page === page ? 'page' : undefined);
  return (
    <header class="top-bar">
      <a class="brand" href={routeHash({ page: 'inbox' })}>
        Countersign
      </a>
      <nav aria-label="Main">
        <a href={routeHash({ page: 'inbox' })} aria-current={current('inbox')}>
          Inbox <span class="count">({pending})</span>
        </a>
        <a href={routeHash({ page: 'history' })} aria-current={current('history')}>
          History
        </a>
        <a href={routeHash({ page: 'grants' })} aria-current={current('grants')}>
          Grants
        </a>
        <a href={routeHash({ page: 'audit' })} aria-current={current('audit')}>
          Audit
        </a>
        {me.role === 'admin' && (
          <a href={routeHash({ page: 'stops' })} aria-current={current('stops')}>
            Emergency stop
          </a>
        )}
      </nav>
      <div class="session">
        <span class={`stream stream-${stream}`} role="status">
          <span aria-hidden="true" class="dot" />
          {STREAM_TEXT[stream]}
        </span>
        <span class="who">{describePrincipal(me.principal)}</span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
