import { maskedHeaders, partText, type ResolvedPreview } from '@countersign/core/protocol';
import { JsonTree } from '../json-tree';

/** An HTTP request as it will be sent: method and URL, headers with credentials masked, the body. */
export function HttpPreview(props: { preview: ResolvedPreview }) {
  const { parts } = props.preview;
  const headers = maskedHeaders(parts.headers);
  return (
    <div class="preview-http">
      <p class="http-line">
        <strong class="http-method" data-part="method">
          {partText(parts.method).toUpperCase() || 'GET'}
        </strong>{' '}
        <code data-part="url">{partText(parts.url)}</code>
      </p>
      {headers.length > 0 && (
        <table class="preview-table http-headers" data-part="headers">
          <tbody>
            {headers.map(([name, value], index) => (
              <tr key={index}>
                <th scope="row">{name}</th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {parts.body !== undefined &&
        (typeof parts.body === 'string' ? (
          <pre class="preview-text" data-part="body">
            {parts.body}
          </pre>
        ) : (
          <JsonTree value={parts.body} label="Body" />
        ))}
    </div>
  );
}
