import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads each unit', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('48h')).toBe(172_800_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
  });

  it('refuses zero, garbage and more than a year', () => {
    for (const text of ['0s', '', 'h', '10', '-5m', '2y', '400d', '1e3s']) {
      expect(parseDuration(text)).toBeUndefined();
    }
  });

  it('formats back to the largest exact unit', () => {
    expect(formatDuration(172_800_000)).toBe('2d');
    expect(formatDuration(5_400_000)).toBe('90m');
    expect(formatDuration(1_500)).toBe('1500ms');
  });
});
