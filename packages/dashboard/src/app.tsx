import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient } from './api/api-client';
import type { Me } from './api/parse-response';
import { clearSessionKey, loadSessionKey, saveSessionKey } from './api/session-key';
import { endSession, loadSignInState, type SignInState } from './api/sign-in-methods';
import { AuditPage } from './components/audit-page';
import { GrantsPage } from './components/grants-page';
import { Header } from './components/header';
import { HistoryPage } from './components/history-page';
import { InboxPage } from './components/inbox-page';
import { RequestPage } from './components/request-page';
import { SignIn } from './components/sign-in';
import { StopsPage } from './components/stops-page';
import { DashboardContext, useDashboardState } from './dashboard-state';
import { parseRoute, type Route } from './lib/hash-route';

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** The dashboard: the sign-in form, or the signed-in pages. */
export function App() {
  const [session, setSession] = useState<{ api: ApiClient; me: Me } | undefined>();
  const [methods, setMethods] = useState<SignInState | undefined>();

  const current = useRef(session);
  current.current = session;

  const signOut = useCallback(() => {
    // A cookie session ends on the server too, so the cookie left in the browser is worthless.
    const api = current.current?.api;
    const csrf = api?.usesSession ? api.authHeaders('POST')['x-csrf-token'] : undefined;
    if (csrf) void endSession(location.origin, csrf);
    clearSessionKey();
    setSession(undefined);
    setMethods((state) => (state ? { ...state, session: null } : state));
  }, []);

  const signIn = useCallback(async (key: string) => {
    const api = new ApiClient({ baseUrl: location.origin, apiKey: key });
    const me = await api.me();
    saveSessionKey(key);
    setSession({ api, me });
  }, []);

  // The server says which sign-in methods are on and whether this browser has a session; a key
  // kept from earlier in this tab signs in again after a reload.
  useEffect(() => {
    (async () => {
      const state = await loadSignInState(location.origin);
      if (state.session) {
        const { csrfToken, ...me } = state.session;
        setSession({ api: new ApiClient({ baseUrl: location.origin, csrfToken }), me });
      } else {
        const key = loadSessionKey();
        if (key) await signIn(key).catch(() => clearSessionKey());
      }
      setMethods(state);
    })();
  }, [signIn]);

  if (!methods) return <p class="loading">Checking your session…</p>;
  if (!session) return <SignIn onSignIn={signIn} methods={methods} />;
  return <SignedIn api={session.api} me={session.me} signOut={signOut} />;
}

function SignedIn(props: { api: ApiClient; me: Me; signOut: () => void }) {
  const state = useDashboardState(props.api, props.me, props.signOut);
  const route = useRoute();
  const page = useMemo(() => {
    if (route.page === 'request') return <RequestPage id={route.id} />;
    if (route.page === 'history') return <HistoryPage />;
    if (route.page === 'audit') return <AuditPage />;
    if (route.page === 'stops') return <StopsPage />;
    if (route.page === 'grants') return <GrantsPage />;
    return <InboxPage />;
  }, [route]);
  return (
    <DashboardContext.Provider value={state}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header route={route} />
      <main id="main" tabIndex={-1}>
        {page}
      </main>
      <p class="visually-hidden" aria-live="polite">
        {state.announcement}
      </p>
    </DashboardContext.Provider>
  );
}
