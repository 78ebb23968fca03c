import { useEffect, useState } from 'preact/hooks';
import { useDashboard } from '../dashboard-state';
import { EMPTY_FILTER, finishedInOrder, matchesFilter } from '../lib/request-collection';
import { RequestCard } from './request-card';
import { RequestFilters } from './request-filters';

/** Decided, expired and cancelled requests, with search. */
export function HistoryPage() {
  const { requests, historyCursor, loadMoreHistory } = useDashboard();
  const [filter, setFilter] = useState(EMPTY_FILTER);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);

  const load = async () => {
    setLoading(true);
    setError('');
    try {
      await loadMoreHistory();
    } catch {
      setError('Could not load more history. Try again.');
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    if (historyCursor === undefined) void load();
  }, []);

  const finished = finishedInOrder(requests);
  const shown = finished.filter((request) => matchesFilter(request, filter));
  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">History</h1>
      <RequestFilters filter={filter} onChange={setFilter} requests={finished} search />
      <p class="summary" role="status">
        {loading ? 'Loading…' : `${shown.length} of ${finished.length} finished requests shown`}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <ul class="cards" aria-label="Finished requests">
        {shown.map((request) => (
          <RequestCard key={request.id} request={request} />
        ))}
      </ul>
      {historyCursor !== null && (
        <button type="button" onClick={load} disabled={loading}>
          Load older requests
        </button>
      )}
    </section>
  );
}
