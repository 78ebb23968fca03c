import {
  type ApprovalRequest,
  GRANT_CONDITION_MAX_LENGTH,
  type GrantChoices,
  grantAppliesToLabel,
} from '@countersign/core/protocol';
import type { GrantField, GrantForm } from '../../service/grant-choices.js';
import { escapeHtml } from '../request-facts.js';

/** The page's grant section: the choices, and what was sent and refused, if it comes back. */
export interface GrantSection {
  choices: GrantChoices;
  /** What the reviewer sent (the page shown again after a refusal keeps it). */
  form?: GrantForm & { enabled: boolean };
  /** Why the last try decided nothing, and the field it is about. */
  problem?: { field: GrantField; message: string };
}

/** The form's field names, sent with the Approve button. */
export const GRANT_FORM_FIELDS = {
  enabled: 'grant',
  scope: 'grant_scope',
  when: 'grant_when',
  lifetime: 'grant_lifetime',
  maxUses: 'grant_uses',
  appliesTo: 'grant_for',
} as const;

/** The grant fields of a submitted confirmation form. */
export function grantFormFromPost(form: URLSearchParams): GrantForm & { enabled: boolean } {
  const value = (name: string) => form.get(name) ?? undefined;
  return {
    enabled: form.get(GRANT_FORM_FIELDS.enabled) === 'on',
    scope: value(GRANT_FORM_FIELDS.scope),
    when: value(GRANT_FORM_FIELDS.when),
    lifetime: value(GRANT_FORM_FIELDS.lifetime),
    maxUses: value(GRANT_FORM_FIELDS.maxUses),
    appliesTo: value(GRANT_FORM_FIELDS.appliesTo),
  };
}

const checked = (on: boolean) => (on ? ' checked' : '');
const selected = (on: boolean) => (on ? ' selected' : '');

function option(value: string, label: string, current: string): string {
  return `<option value="${escapeHtml(value)}"${selected(value === current)}>${escapeHtml(label)}</option>`;
}

function scopes(choices: GrantChoices, form: GrantForm): string {
  const scope = form.scope ?? 'exact';
  const radio = (value: string, label: string) =>
    `<label class="check"><input type="radio" name="${GRANT_FORM_FIELDS.scope}" value="${value}"${checked(scope === value)}> ${label}</label>`;
  const condition = form.when ?? choices.bounded ?? choices.exact;
  return `<fieldset><legend>Which calls</legend>
${radio('exact', 'Exactly these arguments')}
${choices.bounded ? radio('bounded', `Every number up to its value: <code>${escapeHtml(choices.bounded)}</code>`) : ''}
${radio('custom', 'This condition (CEL over args, context, tool and run):')}
<textarea name="${GRANT_FORM_FIELDS.when}" rows="3" maxlength="${GRANT_CONDITION_MAX_LENGTH}" aria-label="Condition">${escapeHtml(condition)}</textarea>
</fieldset>`;
}

/**
 * "Also allow similar calls": the grant fields inside the Approve form, folded in a `<details>`
 * (no script). They count only with the box ticked; the POST is checked like every decision.
 */
export function grantSectionHtml(request: ApprovalRequest, section: GrantSection): string {
  const { choices, problem } = section;
  const form = section.form ?? { enabled: false };
  const lifetime = form.lifetime ?? choices.defaultLifetime;
  const appliesTo = form.appliesTo ?? 'agent';
  const alert = problem
    ? `<p class="problem" role="alert">Nothing was decided: ${escapeHtml(problem.message)}</p>`
    : '';
  return `<details class="grant"${form.enabled || problem ? ' open' : ''}>
<summary>Also allow similar calls (a grant)</summary>${alert}
<p class="note">Later calls of <code>${escapeHtml(request.tool?.name ?? '')}</code> that match are approved at once on your behalf, until the grant expires, is used up or is revoked (the dashboard’s Grants page).</p>
<label class="check"><input type="checkbox" name="${GRANT_FORM_FIELDS.enabled}" value="on"${checked(form.enabled)}> Add this grant when I approve</label>
${scopes(choices, form)}
<label>For how long<br><select name="${GRANT_FORM_FIELDS.lifetime}">${choices.lifetimes.map((value) => option(value, value, lifetime)).join('')}</select></label>
<label>At most this many calls (empty: no limit)<br><input type="number" name="${GRANT_FORM_FIELDS.maxUses}" min="1" max="1000000" step="1" inputmode="numeric" value="${escapeHtml(form.maxUses ?? '')}"></label>
<label>For<br><select name="${GRANT_FORM_FIELDS.appliesTo}">${choices.appliesTo.map((value) => option(value, grantAppliesToLabel(value, request.requester), appliesTo)).join('')}</select></label>
</details>`;
}
