// Holds idle waiters open against a server, in its own process: argv is the base URL, a JSON file of
// keys (used in turn), a path template with `:id`, and a JSON file of ids. Prints `open` once every
// connection is up, and `refused with STATUS` for a waiter the server answered early.
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [base, keysFile, pathTemplate, idsFile] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
const keys = JSON.parse(readFileSync(keysFile, 'utf8')) as string[];
const ids = JSON.parse(readFileSync(idsFile, 'utf8')) as string[];
const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
let connected = 0;
for (let index = 0; index < ids.length; index++) {
  const path = pathTemplate.replace(':id', ids[index] as string);
  const key = keys[index % keys.length];
  const request = http.get(
    base + path,
    { agent, headers: { authorization: `Bearer ${key}` } },
    (response) => {
      // A refused waiter (a 429, say) would hold nothing and flatter the numbers.
      if (response.statusCode !== 200) console.log(`refused with ${response.statusCode}`);
      response.on('data', () => {});
    },
  );
  request.on('error', () => {});
  request.on('socket', (socket) =>
    socket.once('connect', () => {
      if (++connected === ids.length) console.log('open');
    }),
  );
  if (index % 500 === 499) await new Promise((resolve) => setTimeout(resolve, 50));
}
setInterval(() => {}, 1000);
