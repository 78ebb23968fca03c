/**
 * A minimal MCP Apps host for tests: puts the card into a sandboxed iframe (`allow-scripts` only,
 * so an opaque origin), answers `ui/initialize`, hands over the tool input and result, and records
 * `ui/open-link`, and passes the card's `tools/call` to `window.callServerTool` (exposed by the test).
 * `startHost(html, input, result, toolInfo)` resolves once the card initialized.
 */
export const HOST_PAGE = String.raw`<!doctype html><html><body><script>
window.opened = [];
window.startHost = (html, input, result, toolInfo) => new Promise((resolve) => {
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.style.width = '480px';
  frame.style.height = '420px';
  const send = (message) => frame.contentWindow.postMessage({ jsonrpc: '2.0', ...message }, '*');
  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow) return;
    const message = event.data;
    if (message.method === 'ui/initialize') {
      send({ id: message.id, result: {
        protocolVersion: message.params.protocolVersion,
        hostInfo: { name: 'countersign-test-host', version: '1.0.0' },
        hostCapabilities: { openLinks: {}, serverTools: {} },
        hostContext: { theme: 'light', displayMode: 'inline', ...(toolInfo ? { toolInfo } : {}) },
      } });
    } else if (message.method === 'ui/notifications/initialized') {
      send({ method: 'ui/notifications/tool-input', params: { arguments: input } });
      if (result) send({ method: 'ui/notifications/tool-result', params: result });
      resolve();
    } else if (message.method === 'tools/call') {
      // The host passes the card's tool calls on to the MCP server (here: the test's client).
      window.callServerTool(message.params).then((answer) => send({ id: message.id, result: answer }));
    } else if (message.method === 'ui/open-link') {
      window.opened.push(message.params.url);
      send({ id: message.id, result: {} });
    } else if (message.method && message.id !== undefined) {
      send({ id: message.id, result: {} });
    }
  });
  frame.srcdoc = html;
  document.body.append(frame);
});
</script></body></html>`;
