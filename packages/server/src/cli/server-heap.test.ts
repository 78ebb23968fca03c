import { describe, expect, it } from 'vitest';
import { SERVE_SEMI_SPACE_MIB, serveHeapArgv } from './server-heap.js';

const node = {
  execPath: '/usr/bin/node',
  execArgv: ['--enable-source-maps'],
  argv: ['/usr/bin/node', '/app/bin/countersign.js', 'serve', '--port', '0'],
  env: {},
};

describe('serveHeapArgv', () => {
  it('re-executes serve with the semi-space cap, keeping node flags, script and arguments', () => {
    expect(serveHeapArgv(['serve', '--port', '0'], node)).toEqual([
      '/usr/bin/node',
      `--max-semi-space-size=${SERVE_SEMI_SPACE_MIB}`,
      '--enable-source-maps',
      '/app/bin/countersign.js',
      'serve',
      '--port',
      '0',
    ]);
  });

  it('leaves other commands alone', () => {
    expect(serveHeapArgv(['keys', 'create'], node)).toBeUndefined();
    expect(serveHeapArgv([], node)).toBeUndefined();
  });

  it('does not loop and respects an operator choice', () => {
    const tuned = { ...node, execArgv: ['--max-semi-space-size=16'] };
    expect(serveHeapArgv(['serve'], tuned)).toBeUndefined();
    const viaEnv = { ...node, env: { NODE_OPTIONS: '--max-semi-space-size=32' } };
    expect(serveHeapArgv(['serve'], viaEnv)).toBeUndefined();
    const off = { ...node, env: { COUNTERSIGN_HEAP_TUNING: 'off' } };
    expect(serveHeapArgv(['serve'], off)).toBeUndefined();
  });
});
