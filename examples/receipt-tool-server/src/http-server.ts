// A plain HTTP tool endpoint: `POST /tools/transfer_funds` with the JSON arguments as the body and
// the receipt in the `Countersign-Receipt` header. 403 without a valid, unused receipt.
import { createServer } from 'node:http';
import { RefusedCall, receiptGuard } from './receipt-guard.ts';

const guard = receiptGuard();

async function bodyOf(request: import('node:http').IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > 65_536) throw new RefusedCall('the body is too large');
  }
  return JSON.parse(text);
}

const server = createServer(async (request, response) => {
  const reply = (status: number, body: object) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  if (request.method !== 'POST' || request.url !== '/tools/transfer_funds') {
    return reply(404, { error: 'unknown tool' });
  }
  try {
    const args = (await bodyOf(request)) as { to: string; amount: number };
    const claims = await guard('transfer_funds', args, request.headers['countersign-receipt']);
    process.stdout.write(`EXECUTED ${JSON.stringify(args)}\n`);
    return reply(200, { ok: true, to: args.to, amount: args.amount, request: claims.sub });
  } catch (error) {
    if (error instanceof RefusedCall || error instanceof SyntaxError) {
      return reply(403, { error: error.message });
    }
    return reply(503, { error: 'cannot check the receipt now' });
  }
});

server.listen(Number(process.env.PORT ?? 8790), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
