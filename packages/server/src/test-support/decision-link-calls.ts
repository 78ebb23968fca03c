import type { ParsedMail } from 'mailparser';

/** The signed decision link in a notification mail's plain text. */
export function decisionLinkIn(mail: ParsedMail): string {
  const match = /Review and decide: (\S+)/.exec(mail.text ?? '');
  if (!match?.[1]) throw new Error(`No decision link in:\n${mail.text}`);
  return match[1];
}

/** Submits a decision link's form, as the page's plain POST does. */
export async function postDecisionForm(link: string, form: Record<string, string>) {
  const response = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, text: await response.text() };
}
