import { type ApprovalRequest, REQUEST_KINDS } from '@countersign/core/protocol';
import { distinctValues, type RequestFilter } from '../lib/request-collection';
import { describePrincipal, KIND_LABEL } from '../lib/request-facts';

/** The filter controls: kind, assignee, agent and (for history) free-text search. */
export function RequestFilters(props: {
  filter: RequestFilter;
  onChange: (filter: RequestFilter) => void;
  requests: readonly ApprovalRequest[];
  search?: boolean;
}) {
  const { filter, onChange } = props;
  const assignees = distinctValues(props.requests, (request) => request.assignees);
  const requesters = distinctValues(props.requests, (request) => [request.requester]);
  const set = (key: keyof RequestFilter) => (event: { currentTarget: { value: string } }) =>
    onChange({ ...filter, [key]: event.currentTarget.value });
  return (
    <form class="filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      {props.search && (
        <label>
          Search
          <input type="search" value={filter.search} onInput={set('search')} />
        </label>
      )}
      <label>
        Kind
        <select value={filter.kind} onChange={set('kind')}>
          <option value="">Any kind</option>
          {REQUEST_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {KIND_LABEL[kind]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Assignee
        <select value={filter.assignee} onChange={set('assignee')}>
          <option value="">Anyone</option>
          <option value="unassigned">Unassigned</option>
          {assignees.map((assignee) => (
            <option key={assignee} value={assignee}>
              {assignee}
            </option>
          ))}
        </select>
      </label>
      <label>
        Agent
        <select value={filter.requester} onChange={set('requester')}>
          <option value="">Any agent</option>
          {requesters.map((requester) => (
            <option key={requester} value={requester}>
              {describePrincipal(requester)}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
