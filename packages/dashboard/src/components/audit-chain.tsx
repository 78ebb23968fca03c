import { ApiError } from '@countersign/core/protocol';
import { useState } from 'preact/hooks';
import { type AuditEntry, fetchAuditChain } from '../api/audit-api';
import { useDashboard } from '../dashboard-state';
import { JsonTree } from './json-tree';

function pick(entry: AuditEntry, ...keys: string[]): string {
  for (const key of keys) {
    const value = entry[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return '';
}

function shortHash(hash: string): string {
  return hash.length > 16 ? `${hash.slice(0, 16)}…` : hash;
}

/** The audit entries of one request, loaded on demand. */
export function AuditChain(props: { requestId: string }) {
  const { api } = useDashboard();
  const [entries, setEntries] = useState<AuditEntry[] | undefined>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const load = async () => {
    setBusy(true);
    setError('');
    try {
      setEntries(await fetchAuditChain(api, props.requestId));
    } catch (cause) {
      setError(
        cause instanceof ApiError && cause.status === 403
          ? 'Your key may not read the audit log.'
          : 'Could not load the audit chain.',
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="audit-chain">
      <button type="button" onClick={load} disabled={busy}>
        {entries ? 'Reload the audit chain' : 'Show the audit chain'}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {entries && entries.length === 0 && <p>No audit entries for this request.</p>}
      {entries && entries.length > 0 && (
        <ol class="audit-entries" aria-label="Audit entries">
          {entries.map((entry, index) => {
            const hash = pick(entry, 'hash', 'entryHash');
            const previous = pick(entry, 'prevHash', 'previousHash');
            return (
              <li key={hash || index}>
                <p>
                  <strong>{pick(entry, 'type', 'event', 'action') || 'entry'}</strong>{' '}
                  {pick(entry, 'actor', 'principal')} <time>{pick(entry, 'at', 'timestamp')}</time>
                </p>
                <p class="subtle">
                  Entry {pick(entry, 'seq', 'sequence', 'id')} · hash <code>{shortHash(hash)}</code>
                  {previous && (
                    <>
                      {' '}
                      · follows <code>{shortHash(previous)}</code>
                    </>
                  )}
                </p>
                <details>
                  <summary>All fields</summary>
                  <JsonTree value={entry} label="Audit entry" />
                </details>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
