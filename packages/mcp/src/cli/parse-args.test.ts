import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './parse-args.js';

describe('parseCliArgs', () => {
  it('parses a proxy with an upstream command after --', () => {
    const parsed = parseCliArgs([
      'proxy',
      '--policy',
      'p.yaml',
      '--max-wait',
      '2s',
      '--',
      'npx',
      '-y',
      'srv',
      '--flag',
    ]);
    expect(parsed).toMatchObject({
      command: 'proxy',
      policyFile: 'p.yaml',
      maxWaitMs: 2000,
      upstreamCommand: ['npx', '-y', 'srv', '--flag'],
      channel: 'server',
      httpPort: undefined,
    });
  });

  it('takes the dashboard address for the approval page, and refuses one that is not http(s)', () => {
    expect(parseCliArgs(['serve', '--public-url', 'https://cs.example.com/'])).toMatchObject({
      publicUrl: 'https://cs.example.com/',
    });
    expect(() => parseCliArgs(['serve', '--public-url', 'javascript:alert(1)'])).toThrow(
      /--public-url expects an http\(s\) URL/,
    );
  });

  it('parses HTTP serving, bare-second durations and the elicitation flags', () => {
    expect(parseCliArgs(['serve', '--http', '--max-wait', '5'])).toMatchObject({
      command: 'serve',
      httpPort: 0,
      host: '127.0.0.1',
      maxWaitMs: 5000,
    });
    expect(
      parseCliArgs(['proxy', '--elicit-first', '--upstream-url', 'http://127.0.0.1:1/mcp']),
    ).toMatchObject({
      channel: 'elicit-then-server',
      upstreamUrl: 'http://127.0.0.1:1/mcp',
    });
  });

  it.each([
    [['proxy'], /exactly one upstream/],
    [['proxy', '--config', 'a.json', '--', 'x'], /exactly one upstream/],
    [['proxy', '--'], /exactly one upstream|No upstream command/],
    [['serve', '--port', '99999'], /--port/],
    [['serve', '--max-wait', 'soon'], /--max-wait/],
    [['serve', '--bogus'], /bogus/],
    [['launch'], /Unknown command/],
    [['proxy', '--elicit', '--elicit-first', '--', 'x'], /not both/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('parses --metrics-port and refuses a bad one', () => {
    const upstream = ['--upstream-url', 'http://127.0.0.1:1/mcp'];
    expect(parseCliArgs(['proxy', '--metrics-port', '9464', ...upstream])).toMatchObject({
      metricsPort: 9464,
    });
    expect(parseCliArgs(['proxy', ...upstream])).not.toHaveProperty('metricsPort');
    expect(() => parseCliArgs(['proxy', '--metrics-port', 'x', ...upstream])).toThrow(
      /--metrics-port expects 0-65535, got "x"/,
    );
  });

  it('shows help for no command', () => {
    expect(parseCliArgs([])).toEqual({ command: 'help' });
  });
});
