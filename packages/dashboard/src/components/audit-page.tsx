import { ApiError } from '@countersign/core/protocol';
import { useState } from 'preact/hooks';
import { type AuditVerification, verifyAuditChain } from '../api/audit-api';
import { useDashboard } from '../dashboard-state';
import { AuditChain } from './audit-chain';
import { JsonTree } from './json-tree';

/** Verify the whole audit log, or look at one request's chain. */
export function AuditPage() {
  const { api } = useDashboard();
  const [result, setResult] = useState<AuditVerification | undefined>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [requestId, setRequestId] = useState('');
  const [shownId, setShownId] = useState('');

  const verify = async () => {
    setBusy(true);
    setError('');
    setResult(undefined);
    try {
      setResult(await verifyAuditChain(api));
    } catch (cause) {
      setError(
        cause instanceof ApiError && cause.status === 403
          ? 'Your key may not verify the audit log.'
          : 'Could not verify the audit log.',
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      <div class="panel">
        <h2>Verify the whole log</h2>
        <p>Recomputes every entry's hash and link, and names the first one that does not match.</p>
        <button type="button" class="primary" onClick={verify} disabled={busy}>
          {busy ? 'Verifying…' : 'Verify the audit log'}
        </button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {result && (
          <div class={`notice ${result.ok ? 'ok' : 'conflict'}`} role="status">
            <p>
              <strong>
                {result.ok
                  ? '✓ The audit log is intact.'
                  : '✕ The audit log does not verify: an entry was changed, removed or reordered.'}
              </strong>
            </p>
            {typeof result.details.message === 'string' && <p>{result.details.message}</p>}
            <JsonTree value={result.details} label="Verification details" />
          </div>
        )}
      </div>
      <div class="panel">
        <h2>One request's chain</h2>
        <form
          class="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            setShownId(requestId.trim());
          }}
        >
          <label for="audit-request-id">Request id</label>
          <input
            id="audit-request-id"
            value={requestId}
            onInput={(event) => setRequestId(event.currentTarget.value)}
          />
          <button type="submit">Look up</button>
        </form>
        {shownId && <AuditChain key={shownId} requestId={shownId} />}
      </div>
    </section>
  );
}
