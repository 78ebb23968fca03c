import { ApiError, type ApprovalRequest, type DecisionInput } from '@countersign/core/protocol';
import { useEffect, useState } from 'preact/hooks';
import { useDashboard } from '../dashboard-state';
import { asSchema } from '../lib/json-schema';
import { ApproveForm } from './approve-form';
import { CommentField, commentOf } from './comment-field';
import { DiffView } from './diff-view';
import { editableParts, PreviewEditForm } from './preview/preview-edit-form';
import { RejectForm } from './reject-form';
import { ValidatedForm } from './validated-form';

type Mode = 'choose' | 'approve' | 'reject' | 'edit' | 'edit-preview' | 'respond';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The reviewer's actions on a pending request: approve (with an optional comment), reject, edit,
 * answer. A 409 (someone decided first, or the request changed) is handed to `onConflict` with
 * the latest request; a recorded decision to `onDecided`.
 */
export function DecisionPanel(props: {
  request: ApprovalRequest;
  onConflict: (latest: ApprovalRequest) => void;
  onDecided: (decided: ApprovalRequest) => void;
}) {
  const { api, remember } = useDashboard();
  const { request } = props;
  const [mode, setMode] = useState<Mode>('choose');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  // One comment for the edit and answer forms, kept while the reviewer switches between modes.
  const [comment, setComment] = useState('');
  const answers = request.kind === 'form' || request.kind === 'clarification';

  const submit = async (body: DecisionInput) => {
    setBusy(true);
    setError('');
    try {
      // expectedVersion: the decision applies to exactly what the reviewer saw, or not at all.
      const decided = await api.decide(request.id, { ...body, expectedVersion: request.version });
      remember(decided);
      setComment('');
      props.onDecided(decided);
    } catch (cause) {
      if (cause instanceof ApiError && cause.status === 409) {
        const latest = await api.getRequest(request.id).catch(() => undefined);
        if (latest) remember(latest);
        props.onConflict(latest ?? request);
        setMode('choose');
      } else {
        setError(cause instanceof ApiError ? cause.message : 'Cannot reach the server. Try again.');
      }
    } finally {
      setBusy(false);
    }
  };
  // The shortcut and the button approve at once, without a comment.
  const approve = () => void submit({ outcome: 'approve' });
  const commentField = <CommentField id="decision-comment" value={comment} onInput={setComment} />;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target) || busy) return;
      if (mode !== 'choose') return;
      if (event.key === 'a' && !answers) {
        event.preventDefault();
        approve();
      } else if (event.key === 'r') {
        event.preventDefault();
        setMode('reject');
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const toolSchema = asSchema(request.tool?.schema);
  const responseSchema = asSchema(request.responseSchema);
  return (
    <section class="panel decide" aria-labelledby="decide-title">
      <h2 id="decide-title">Your decision</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {mode === 'choose' && (
        <>
          <div class="actions">
            {!answers && (
              <button
                type="button"
                class="primary"
                onClick={approve}
                disabled={busy}
                aria-keyshortcuts="a"
              >
                Approve <kbd>A</kbd>
              </button>
            )}
            {!answers && (
              <button type="button" onClick={() => setMode('approve')} disabled={busy}>
                Comment and approve…
              </button>
            )}
            {answers && (
              <button type="button" class="primary" onClick={() => setMode('respond')}>
                {request.kind === 'form' ? 'Fill in the form' : 'Answer'}
              </button>
            )}
            {!answers && request.tool && editableParts(request.preview).length > 0 && (
              <button type="button" onClick={() => setMode('edit-preview')}>
                Edit in the preview
              </button>
            )}
            {!answers && request.tool && (
              <button type="button" onClick={() => setMode('edit')}>
                Edit arguments
              </button>
            )}
            <button
              type="button"
              class="danger"
              onClick={() => setMode('reject')}
              aria-keyshortcuts="r"
            >
              Reject… <kbd>R</kbd>
            </button>
          </div>
          <p class="hint">
            Keyboard: {answers ? '' : 'press A to approve at once (without a comment), '}R to
            reject.
          </p>
        </>
      )}
      {mode === 'approve' && (
        <ApproveForm
          request={request}
          busy={busy}
          onSubmit={(extra) => void submit({ outcome: 'approve', ...extra })}
          onCancel={() => setMode('choose')}
        />
      )}
      {mode === 'reject' && (
        <RejectForm
          busy={busy}
          onSubmit={(reason) => void submit({ outcome: 'reject', reason })}
          onCancel={() => setMode('choose')}
        />
      )}
      {mode === 'edit' && request.tool && (
        <ValidatedForm
          label="Arguments"
          schema={toolSchema}
          initial={structuredClone(request.tool.args)}
          submitText="Approve with these changes"
          busy={busy}
          onSubmit={(args) =>
            void submit({
              outcome: 'edit',
              args: args as Record<string, unknown>,
              ...commentOf(comment),
            })
          }
          extra={commentField}
          onCancel={() => setMode('choose')}
          preview={(args) => (
            <DiffView before={request.tool?.args} after={args} title="Preview of your changes" />
          )}
        />
      )}
      {mode === 'edit-preview' && request.tool && request.preview && (
        <PreviewEditForm
          preview={request.preview}
          args={request.tool.args}
          schema={toolSchema}
          busy={busy}
          onSubmit={(args) => void submit({ outcome: 'edit', args, ...commentOf(comment) })}
          extra={commentField}
          onCancel={() => setMode('choose')}
        />
      )}
      {mode === 'respond' && (
        <ValidatedForm
          label={request.kind === 'form' ? 'Form' : 'Your answer'}
          schema={
            responseSchema ??
            (request.kind === 'clarification'
              ? { type: 'string', minLength: 1, maxLength: 4000 }
              : undefined)
          }
          initial={responseSchema?.type === 'object' || responseSchema?.properties ? {} : undefined}
          submitText={request.kind === 'form' ? 'Submit the form' : 'Send the answer'}
          busy={busy}
          onSubmit={(response) =>
            void submit({ outcome: 'respond', response, ...commentOf(comment) })
          }
          extra={commentField}
          onCancel={() => setMode('choose')}
        />
      )}
    </section>
  );
}
