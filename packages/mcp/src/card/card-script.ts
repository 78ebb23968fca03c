/**
 * The approval card's own script, run inside the host's sandboxed iframe after the bundled
 * ext-apps library (which defines `ext.App`). It only renders what the host hands over (the
 * tool input and result) and asks the host to open the dashboard link: no network of its own.
 */
export const CARD_SCRIPT = String.raw`
const app = new ext.App({ name: 'countersign-approval-card', version: '0.1.0' });
const byId = (id) => document.getElementById(id);
let data;
function show(id, text) {
  const element = byId(id);
  element.textContent = text;
  element.hidden = text === '';
}
function remaining(deadline) {
  const ms = Date.parse(deadline) - Date.now();
  if (!(ms > 0)) return 'deadline passed';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return 'expires in ' + (h ? h + 'h ' : '') + m + 'm ' + (s % 60) + 's';
}
function tick() {
  if (data && data.deadline && data.status === 'pending') show('countdown', remaining(data.deadline));
}
function render(next) {
  data = next;
  show('title', data.tool ? data.tool : data.action);
  show('request', 'Countersign request ' + data.id);
  show('status', data.status);
  byId('status').dataset.status = data.status;
  show('args', data.args ? JSON.stringify(data.args, null, 2) : '');
  show('quorum', data.approvals.length + ' of ' + data.quorum + ' approval' + (data.quorum === 1 ? '' : 's'));
  show('who', 'Who may decide: ' + (data.assignees.length ? data.assignees.join(', ') : 'any reviewer'));
  show('countdown', data.status === 'pending' ? (data.deadline ? remaining(data.deadline) : 'no deadline') : '');
  const link = byId('dashboard');
  link.hidden = !data.dashboardUrl;
  if (data.dashboardUrl) link.href = data.dashboardUrl;
}
byId('dashboard').addEventListener('click', (event) => {
  event.preventDefault();
  if (data && data.dashboardUrl) app.openLink({ url: data.dashboardUrl }).catch(() => {});
});
let input;
// While the call runs, the user in this client may answer it here (the proxy's elicit channel);
// the proxy says so if the call is decided on the server instead.
async function answer(approve) {
  const tool = app.getHostContext() && app.getHostContext().toolInfo && app.getHostContext().toolInfo.tool.name;
  if (!tool || !input) return;
  const reason = byId('reason').value.trim();
  const result = await app.callServerTool({
    name: 'countersign_confirm',
    arguments: { tool, arguments: input, approve, ...(reason ? { reason } : {}) },
  });
  show('note', (result.content || []).map((part) => part.text || '').join(' '));
  if (!result.isError) byId('decide').hidden = true;
}
byId('approve').addEventListener('click', () => answer(true).catch((error) => show('note', String(error))));
byId('reject').addEventListener('click', () => answer(false).catch((error) => show('note', String(error))));
app.ontoolinput = (params) => {
  input = params.arguments || {};
  if (!data) {
    show('args', JSON.stringify(input, null, 2));
    byId('decide').hidden = false;
  }
};
app.ontoolresult = (result) => {
  byId('decide').hidden = true;
  const next = result._meta && result._meta['countersign/request'];
  if (next) render(next);
  else {
    show('status', result.isError ? 'did not run' : 'done');
    show('countdown', '');
  }
};
setInterval(tick, 1000);
await app.connect();
`;
