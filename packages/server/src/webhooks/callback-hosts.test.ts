import { describe, expect, it } from 'vitest';
import { CallbackHostList } from './callback-hosts.js';

describe('CallbackHostList', () => {
  it('matches hosts on any port, host:port on that port only, and *. on strict subdomains', () => {
    const list = CallbackHostList.parse([
      'Hooks.Example.com',
      '10.0.0.5:8080',
      '*.internal',
      'secure.example:443',
      '[::1]:9000',
    ]);
    expect(list.allows('https://hooks.example.com/a')).toBe(true);
    expect(list.allows('http://HOOKS.example.com:9999/a')).toBe(true);
    expect(list.allows('http://10.0.0.5:8080/x')).toBe(true);
    expect(list.allows('http://10.0.0.5/x')).toBe(false);
    expect(list.allows('http://10.0.0.5:8081/x')).toBe(false);
    expect(list.allows('http://a.internal/x')).toBe(true);
    expect(list.allows('http://a.b.internal:1234/x')).toBe(true);
    expect(list.allows('http://internal/x')).toBe(false);
    expect(list.allows('http://evilinternal/x')).toBe(false);
    expect(list.allows('https://secure.example/x')).toBe(true);
    expect(list.allows('http://secure.example/x')).toBe(false);
    expect(list.allows('http://[::1]:9000/x')).toBe(true);
    expect(list.allows('http://[::1]:9001/x')).toBe(false);
    expect(list.allows('http://hooks.example.com.evil.net/x')).toBe(false);
    expect(list.allows('http://user@evil.net/hooks.example.com')).toBe(false);
    expect(list.allows('ftp://hooks.example.com/x')).toBe(false);
    expect(list.allows('not a url')).toBe(false);
    expect(list.entries).toHaveLength(5);
  });

  it('compares normalized addresses, so another spelling of a listed IP matches and nothing else', () => {
    const list = CallbackHostList.parse(['127.0.0.1']);
    expect(list.allows('http://127.1:8080/x')).toBe(true);
    expect(list.allows('http://0x7f.0.0.1/x')).toBe(true);
    expect(list.allows('http://127.0.0.2/x')).toBe(false);
    expect(list.allows('http://localhost/x')).toBe(false);
  });

  it('allows nothing when the list is empty', () => {
    expect(CallbackHostList.parse([]).allows('http://127.0.0.1/x')).toBe(false);
  });

  it.each([
    ['', 'empty'],
    ['  ', 'empty'],
    ['http://a.example', 'not a URL'],
    ['a.example/path', 'not a URL'],
    ['user@a.example', 'not a URL'],
    ['a b.example', 'not a URL'],
    ['*', 'not a URL'],
    ['a.*.example', 'not a URL'],
    ['**.example', 'not a URL'],
    ['a.example:', 'not a valid host'],
    ['a.example:abc', 'not a valid host'],
    ['a.example:0', 'port must be 1-65535'],
    ['a.example:70000', 'port must be 1-65535'],
    ['::1', 'not a valid host'],
    ['*.10.0.0.5', 'needs a domain name'],
    ['*.[::1]', 'needs a domain name'],
  ])('refuses the malformed entry %j', (entry, why) => {
    expect(() => CallbackHostList.parse(['ok.example', entry])).toThrow(
      new RegExp(
        `entry ${JSON.stringify(entry).replace(/[.*[\]]/g, '\\$&')} is malformed: .*${why}`,
      ),
    );
  });

  it('refuses a value that is not an array of strings', () => {
    expect(() => CallbackHostList.parse('a.example' as unknown as string[])).toThrow(/array/);
    expect(() => CallbackHostList.parse([42 as unknown as string])).toThrow(/malformed/);
  });
});
