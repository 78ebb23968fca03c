import {
  type ApprovalRequest,
  GRANT_CONDITION_MAX_LENGTH,
  type GrantAppliesTo,
  type GrantChoices,
  type GrantSpec,
  grantAppliesToLabel,
} from '@countersign/core/protocol';
import { useState } from 'preact/hooks';

type Scope = 'exact' | 'bounded' | 'custom';

/** The grant the fields stand for, or undefined while the box is unticked. */
export interface GrantChoice {
  grant?: GrantSpec;
}

/**
 * "Also allow calls like this one": a grant added to the approval, with the choices the server
 * computed for the request (`GET /v1/requests/{id}/grant-options`, as the Slack modal and the
 * email page offer them): the condition prefilled (exactly these arguments, or every number
 * bounded by its value) and editable, and only lifetimes within the server's and the rule's caps.
 * The server checks everything again before anything is recorded.
 */
export function GrantFields(props: {
  request: ApprovalRequest;
  choices: GrantChoices;
  onChange: (choice: GrantChoice) => void;
}) {
  const tool = props.request.tool;
  const { exact, bounded } = props.choices;
  const [enabled, setEnabled] = useState(false);
  const [scope, setScope] = useState<Scope>('exact');
  const [custom, setCustom] = useState(bounded ?? exact);
  const [appliesTo, setAppliesTo] = useState<GrantAppliesTo>('agent');
  const [lifetime, setLifetime] = useState(props.choices.defaultLifetime);
  const [uses, setUses] = useState('');
  if (!tool) return null;

  const report = (
    next: Partial<{
      enabled: boolean;
      scope: Scope;
      custom: string;
      appliesTo: GrantAppliesTo;
      lifetime: string;
      uses: string;
    }>,
  ) => {
    const state = { enabled, scope, custom, appliesTo, lifetime, uses, ...next };
    if (!state.enabled) return props.onChange({});
    const when =
      state.scope === 'exact'
        ? exact
        : state.scope === 'bounded'
          ? (bounded ?? exact)
          : state.custom;
    const maxUses = Number.parseInt(state.uses, 10);
    props.onChange({
      grant: {
        when: when.trim(),
        appliesTo: state.appliesTo,
        lifetime: state.lifetime,
        ...(Number.isInteger(maxUses) && maxUses > 0 ? { maxUses } : {}),
      },
    });
  };

  return (
    <fieldset class="group grant-fields">
      <legend>Grant</legend>
      <div class="field checkbox">
        <input
          id="grant-enabled"
          type="checkbox"
          checked={enabled}
          onChange={(event) => {
            setEnabled(event.currentTarget.checked);
            report({ enabled: event.currentTarget.checked });
          }}
        />
        <label for="grant-enabled">Also allow calls like this one for a while (a grant)</label>
      </div>
      {enabled && (
        <>
          <p class="hint">
            Later calls of <code>{tool.name}</code> that match are approved at once on your behalf,
            until the grant expires, is used up or you revoke it (Grants page).
          </p>
          <div class="field" role="radiogroup" aria-label="Which calls">
            {(
              [
                ['exact', 'Exactly these arguments'],
                ...(bounded ? [['bounded', `Up to these amounts: ${bounded}`]] : []),
                ['custom', 'A condition of my own (CEL)'],
              ] as [Scope, string][]
            ).map(([value, label]) => (
              <div class="checkbox" key={value}>
                <input
                  id={`grant-scope-${value}`}
                  type="radio"
                  name="grant-scope"
                  checked={scope === value}
                  onChange={() => {
                    setScope(value);
                    report({ scope: value });
                  }}
                />
                <label for={`grant-scope-${value}`}>{label}</label>
              </div>
            ))}
          </div>
          {scope === 'custom' && (
            <div class="field">
              <label for="grant-when">Condition over args, context, tool and run</label>
              <textarea
                id="grant-when"
                class="json-input"
                rows={3}
                value={custom}
                maxLength={GRANT_CONDITION_MAX_LENGTH}
                onInput={(event) => {
                  setCustom(event.currentTarget.value);
                  report({ custom: event.currentTarget.value });
                }}
              />
            </div>
          )}
          <div class="field">
            <label for="grant-applies-to">For</label>
            <select
              id="grant-applies-to"
              value={appliesTo}
              onChange={(event) => {
                const value = event.currentTarget.value as GrantAppliesTo;
                setAppliesTo(value);
                report({ appliesTo: value });
              }}
            >
              {props.choices.appliesTo.map((value) => (
                <option key={value} value={value}>
                  {grantAppliesToLabel(value, props.request.requester)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="grant-lifetime">For how long</label>
            <select
              id="grant-lifetime"
              value={lifetime}
              onChange={(event) => {
                setLifetime(event.currentTarget.value);
                report({ lifetime: event.currentTarget.value });
              }}
            >
              {props.choices.lifetimes.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="grant-uses">At most this many calls (optional)</label>
            <input
              id="grant-uses"
              type="number"
              min={1}
              step={1}
              value={uses}
              onInput={(event) => {
                setUses(event.currentTarget.value);
                report({ uses: event.currentTarget.value });
              }}
            />
          </div>
        </>
      )}
    </fieldset>
  );
}
