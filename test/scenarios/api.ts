/** A JSON call to the server with a Bearer key; the parsed body and the status. */
export async function api(
  url: string,
  key: string,
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: scenario tests read replies loosely
): Promise<{ status: number; body: any }> {
  const response = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** One entry of the audit log as `GET /v1/audit` exports it (JSON Lines). */
export interface AuditLine {
  seq: number;
  at: string;
  type: string;
  requestId: string | null;
  actor: string | null;
  data: Record<string, unknown>;
  hash: string;
}

/** The whole audit export, parsed. */
export async function auditExport(url: string, adminKey: string): Promise<AuditLine[]> {
  const response = await fetch(`${url}/v1/audit?format=jsonl`, {
    headers: { authorization: `Bearer ${adminKey}` },
  });
  if (!response.ok) throw new Error(`audit export failed: ${response.status}`);
  return (await response.text())
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditLine);
}
