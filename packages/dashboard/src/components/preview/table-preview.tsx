import { partText, type ResolvedPreview } from '@countersign/core/protocol';

const MAX_ROWS = 200;

/** Rows as a table: the columns given, or every key the rows have. */
export function TablePreview(props: { preview: ResolvedPreview }) {
  const { parts } = props.preview;
  const rows = Array.isArray(parts.rows) ? parts.rows : [];
  const columns = Array.isArray(parts.columns)
    ? parts.columns.map(String)
    : [
        ...new Set(
          rows
            .slice(0, MAX_ROWS)
            .flatMap((row) =>
              row && typeof row === 'object' && !Array.isArray(row) ? Object.keys(row) : [],
            ),
        ),
      ];
  const cell = (row: unknown, column: string) =>
    row && typeof row === 'object'
      ? partText((row as Record<string, unknown>)[column])
      : partText(row);
  return (
    <div class="preview-table-wrap">
      <table class="preview-table" data-part="rows">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, MAX_ROWS).map((row, index) => (
            <tr key={index}>
              {columns.map((column) => (
                <td key={column}>{cell(row, column)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">
        {rows.length} {rows.length === 1 ? 'row' : 'rows'}
        {rows.length > MAX_ROWS && `; the first ${MAX_ROWS} are shown`}
      </p>
    </div>
  );
}
