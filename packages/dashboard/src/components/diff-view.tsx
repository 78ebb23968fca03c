import { diffJson } from '../lib/json-diff';

const KIND_TEXT = { added: 'Added', removed: 'Removed', changed: 'Changed' } as const;

function show(value: unknown): string {
  return JSON.stringify(value, null, 1)?.replace(/\n\s*/g, ' ') ?? 'nothing';
}

/** The fields that differ between two argument objects, each in words with old and new value. */
export function DiffView(props: { before: unknown; after: unknown; title: string }) {
  const changes = diffJson(props.before, props.after);
  return (
    <section class="diff" aria-label={props.title}>
      <h3>{props.title}</h3>
      {changes.length === 0 ? (
        <p>No changes: the arguments are the same as the agent's.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Change</th>
              <th scope="col">Agent's value</th>
              <th scope="col">New value</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((change) => (
              <tr key={change.path} class={`diff-${change.kind}`}>
                <th scope="row">
                  <code>{change.path || '(whole value)'}</code>
                </th>
                <td>{KIND_TEXT[change.kind]}</td>
                <td class="diff-before">
                  {change.kind === 'added' ? '—' : <del>{show(change.before)}</del>}
                </td>
                <td class="diff-after">
                  {change.kind === 'removed' ? '—' : <ins>{show(change.after)}</ins>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
