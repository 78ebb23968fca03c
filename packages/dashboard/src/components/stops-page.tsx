import { ApiError, type Stop } from '@countersign/core/protocol';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { listStops, resumeScope, stopScope } from '../api/stops-api';
import { useDashboard } from '../dashboard-state';

type Kind = 'all' | 'agent' | 'policy';

function describeScope(scope: string): string {
  if (scope === 'all') return 'every agent';
  if (scope.startsWith('agent:')) return `the agent ${scope.slice('agent:'.length)}`;
  return `the agents following policy ${scope.slice('policy:'.length)}`;
}

function problem(cause: unknown): string {
  if (cause instanceof ApiError && cause.status === 403) return 'Only admins may stop agents.';
  return cause instanceof Error ? cause.message : String(cause);
}

/** The big red button: stop every agent, one agent or one policy's agents, behind a confirmation. */
export function StopsPage() {
  const { api } = useDashboard();
  const [stops, setStops] = useState<Stop[] | undefined>();
  const [kind, setKind] = useState<Kind>('all');
  const [name, setName] = useState('');
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');

  const reload = useCallback(async () => {
    try {
      setStops(await listStops(api));
    } catch (cause) {
      setError(problem(cause));
    }
  }, [api]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const scope = kind === 'all' ? 'all' : `${kind}:${name.trim()}`;
  const ready = kind === 'all' || name.trim() !== '';

  const confirm = async () => {
    setError('');
    try {
      const cancelled = await stopScope(api, scope, reason.trim() || 'no reason given');
      setNotice(
        `Stopped ${describeScope(scope)}. Every call is now denied; ${cancelled} pending request(s) cancelled.`,
      );
      setConfirming(false);
      await reload();
    } catch (cause) {
      setError(problem(cause));
    }
  };

  const resume = async (stopped: string) => {
    setError('');
    try {
      await resumeScope(api, stopped);
      setNotice(`Resumed ${describeScope(stopped)}.`);
      await reload();
    } catch (cause) {
      setError(problem(cause));
    }
  };

  return (
    <section aria-labelledby="stops-title">
      <h1 id="stops-title">Emergency stop</h1>
      <div class="panel">
        <h2>Stop agents</h2>
        <p>
          Every gate of the scope that follows the server denies every call, even the ones its
          policy allows, within a second; pending requests of the scope are cancelled.
        </p>
        <form
          class="stop-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (ready) setConfirming(true);
          }}
        >
          <label for="stop-kind">Scope</label>
          <select
            id="stop-kind"
            value={kind}
            onChange={(event) => {
              setKind(event.currentTarget.value as Kind);
              setConfirming(false);
            }}
          >
            <option value="all">Every agent</option>
            <option value="agent">One agent</option>
            <option value="policy">The agents of one policy</option>
          </select>
          {kind !== 'all' && (
            <>
              <label for="stop-name">{kind === 'agent' ? 'Agent name' : 'Policy name'}</label>
              <input
                id="stop-name"
                value={name}
                onInput={(event) => setName(event.currentTarget.value)}
              />
            </>
          )}
          <label for="stop-reason">Reason (the agents are told)</label>
          <input
            id="stop-reason"
            value={reason}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
          <button type="submit" class="danger" disabled={!ready || confirming}>
            Stop…
          </button>
        </form>
        {confirming && (
          <div class="notice conflict" role="alertdialog" aria-label="Confirm the stop">
            <p>
              <strong>Stop {describeScope(scope)}?</strong> Their calls are denied until someone
              resumes them.
            </p>
            <button type="button" class="danger" onClick={confirm}>
              Yes, stop {describeScope(scope)}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        )}
        {notice && <p role="status">{notice}</p>}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div class="panel">
        <h2>Stopped now</h2>
        {stops === undefined ? (
          <p>Loading…</p>
        ) : stops.length === 0 ? (
          <p>Nothing is stopped.</p>
        ) : (
          <ul aria-label="Stops in force">
            {stops.map((stop) => (
              <li key={stop.scope}>
                <strong>{describeScope(stop.scope)}</strong> by {stop.actor} at {stop.at}:{' '}
                {stop.reason}{' '}
                <button type="button" onClick={() => resume(stop.scope)}>
                  Resume {describeScope(stop.scope)}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
