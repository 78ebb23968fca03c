import { amountInWords, partText, type ResolvedPreview } from '@countersign/core/protocol';

function formatted(amount: unknown, currency: unknown): string {
  const value = typeof amount === 'string' ? Number(amount) : amount;
  if (typeof value !== 'number' || !Number.isFinite(value)) return partText(amount);
  const code = typeof currency === 'string' ? currency.trim().toUpperCase() : '';
  try {
    if (/^[A-Z]{3}$/.test(code)) {
      return new Intl.NumberFormat('en', { style: 'currency', currency: code }).format(value);
    }
  } catch {
    // An unknown currency code: the plain number below, with the code beside it.
  }
  return `${new Intl.NumberFormat('en', { maximumFractionDigits: 20 }).format(value)} ${code}`.trim();
}

/** A transfer: the amount large and also in words, so a misplaced decimal point is seen. */
export function MoneyPreview(props: { preview: ResolvedPreview }) {
  const { parts } = props.preview;
  const words = amountInWords(parts.amount, parts.currency);
  return (
    <div class="preview-money">
      <p class="money-amount" data-part="amount">
        {formatted(parts.amount, parts.currency)}
      </p>
      {words && <p class="money-words">{words}</p>}
      <dl class="preview-headers">
        {parts.from !== undefined && (
          <div data-part="from">
            <dt>From</dt>
            <dd>{partText(parts.from)}</dd>
          </div>
        )}
        {parts.to !== undefined && (
          <div data-part="to">
            <dt>To</dt>
            <dd>{partText(parts.to)}</dd>
          </div>
        )}
        {parts.memo !== undefined && (
          <div data-part="memo">
            <dt>Memo</dt>
            <dd>{partText(parts.memo)}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}
