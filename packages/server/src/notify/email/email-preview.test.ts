import { describe, expect, it } from 'vitest';
import { useServerCalls } from '../../test-support/server-calls.js';
import { useSmtpCapture } from '../../test-support/smtp-capture.js';

const start = useServerCalls();
const smtp = useSmtpCapture();

describe('the email of a request with a preview', () => {
  it('shows the call as its effect, with agent HTML sanitized and the arguments after it', async () => {
    const { server, call } = await start({ smtpUrl: smtp.url });
    const agent = await server.createKey({ role: 'agent', name: 'mailer' });
    await server.createKey({ role: 'reviewer', name: 'alice' });
    await call(server.adminKey, 'PATCH', '/v1/users/alice', { email: 'alice@example.com' });
    await call(agent, 'POST', '/v1/requests', {
      action: 'Send the board update',
      assignees: ['user:alice'],
      tool: {
        name: 'send_email',
        args: {
          to: 'board@example.com',
          subject: 'Q3 update',
          body: '<p>Revenue is <strong>up</strong></p><img src="http://tracker.invalid/p.png"><script>alert(1)</script>',
        },
        preview: {
          kind: 'email',
          format: 'html',
          title: 'The email the board receives',
          fields: { to: 'args.to', subject: 'args.subject', body: 'args.body' },
        },
      },
    });
    const [mail] = await smtp.received(1);
    const text = mail?.text ?? '';
    expect(text).toContain(
      'Preview:\nThe email the board receives\n\nTo: board@example.com\nSubject: Q3 update',
    );
    expect(text).toContain('Revenue is up');
    expect(text.indexOf('Preview:')).toBeLessThan(text.indexOf('Tool send_email'));
    const html = mail?.html || '';
    expect(html).toContain('<p>Revenue is <strong>up</strong></p>');
    expect(html).not.toMatch(/<script|<img|tracker\.invalid\/p\.png"/);
  });

  it('shows the statement a reviewer edited, not the agent’s, in the mail that follows', async () => {
    const { server, call } = await start({ smtpUrl: smtp.url });
    const agent = await server.createKey({ role: 'agent', name: 'billing-bot' });
    const alice = await server.createKey({ role: 'reviewer', name: 'alice' });
    await call(server.adminKey, 'PATCH', '/v1/users/alice', { email: 'alice@example.com' });
    const created = await call(agent, 'POST', '/v1/requests', {
      action: 'Void invoices',
      assignees: ['user:alice'],
      notify: { targets: ['email:billing-oncall@example.com'] },
      tool: {
        name: 'db__execute',
        args: { database: 'billing', sql: "UPDATE invoices SET status = 'void'" },
        preview: { kind: 'sql', fields: { statement: 'args.sql', database: 'args.database' } },
      },
    });
    await smtp.received(2);
    const narrowed = "UPDATE invoices SET status = 'void' WHERE id = 1042";
    const decided = await call(alice, 'POST', `/v1/requests/${created.body.id}/decisions`, {
      outcome: 'edit',
      args: { database: 'billing', sql: narrowed },
    });
    expect(decided.body.status).toBe('approved');
    const mails = await smtp.received(3);
    const outcome = mails[2]?.text ?? '';
    expect(outcome).toContain(`Preview:\nDatabase: billing\n${narrowed}\n`);
    expect(outcome).toContain(`"sql": "${narrowed}"`);
  });
});
