import { ApiError, type Grant } from '@countersign/core/protocol';
import { useEffect, useState } from 'preact/hooks';
import { useDashboard } from '../dashboard-state';
import { describePrincipal } from '../lib/request-facts';

const STATUS_TEXT: Record<Grant['status'], string> = {
  active: 'Active',
  expired: 'Expired',
  exhausted: 'Used up',
  revoked: 'Revoked',
};

function whom(grant: Grant): string {
  if (grant.appliesTo === 'any') return 'any agent';
  const agent = describePrincipal(grant.agent ?? '');
  return grant.appliesTo === 'run' ? `${agent}, run ${grant.runId}` : agent;
}

/** The grants the signed-in key may see; their granter (or an admin) can revoke them here. */
export function GrantsPage() {
  const { api, me } = useDashboard();
  const [all, setAll] = useState(false);
  const [grants, setGrants] = useState<Grant[] | undefined>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState('');

  const load = () =>
    api
      .listGrants(all)
      .then((items) => {
        setGrants(items);
        setError('');
      })
      .catch(() => setError('Could not load the grants.'));
  useEffect(() => {
    void load();
  }, [api, all]);

  const revoke = async (grant: Grant) => {
    setBusy(grant.id);
    try {
      await api.revokeGrant(grant.id);
      await load();
    } catch (cause) {
      setError(cause instanceof ApiError ? cause.message : 'Could not revoke the grant.');
    } finally {
      setBusy('');
    }
  };

  return (
    <section aria-labelledby="grants-title">
      <h1 id="grants-title">Grants</h1>
      <p class="hint">
        A grant approves later calls like an approved one at once, on its granter's behalf, until it
        expires, is used up or is revoked.
      </p>
      <div class="field checkbox">
        <input
          id="grants-all"
          type="checkbox"
          checked={all}
          onChange={(event) => setAll(event.currentTarget.checked)}
        />
        <label for="grants-all">Show expired, used-up and revoked grants too</label>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {grants === undefined && !error && <p>Loading…</p>}
      {grants?.length === 0 && <p>{all ? 'No grants.' : 'No active grants.'}</p>}
      <ul class="cards grants">
        {grants?.map((grant) => (
          <li class="card" key={grant.id} aria-label={`Grant ${grant.id}`}>
            <p>
              <strong>{STATUS_TEXT[grant.status]}</strong> <code>{grant.id}</code> for{' '}
              <code>{grant.tool}</code>
            </p>
            <p>
              When <code class="grant-when">{grant.when}</code>
            </p>
            <p>
              For {whom(grant)}; granted by {describePrincipal(grant.grantedBy)} at{' '}
              <time dateTime={grant.createdAt}>{new Date(grant.createdAt).toLocaleString()}</time>
              {'; until '}
              <time dateTime={grant.expiresAt}>{new Date(grant.expiresAt).toLocaleString()}</time>
            </p>
            <p>
              Used {grant.uses}
              {grant.maxUses === undefined ? '' : ` of ${grant.maxUses}`} times
              {grant.fromRequest && (
                <>
                  {' '}
                  (from{' '}
                  <a href={`#/requests/${encodeURIComponent(grant.fromRequest)}`}>the request</a>)
                </>
              )}
            </p>
            {grant.status === 'active' &&
              (me.role === 'admin' || grant.grantedBy === me.principal) && (
                <button
                  type="button"
                  class="danger small"
                  disabled={busy === grant.id}
                  onClick={() => void revoke(grant)}
                >
                  Revoke
                </button>
              )}
          </li>
        ))}
      </ul>
    </section>
  );
}
