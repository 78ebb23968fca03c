import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from './hash-route';

describe('hash routes', () => {
  it('round-trips every page', () => {
    for (const route of [
      { page: 'inbox' as const },
      { page: 'history' as const },
      { page: 'audit' as const },
      { page: 'stops' as const },
      { page: 'request' as const, id: 'req/odd id' },
    ]) {
      expect(parseRoute(routeHash(route))).toEqual(route);
    }
  });

  it('sends anything unknown to the inbox', () => {
    expect(parseRoute('')).toEqual({ page: 'inbox' });
    expect(parseRoute('#/nope/1')).toEqual({ page: 'inbox' });
  });
});
