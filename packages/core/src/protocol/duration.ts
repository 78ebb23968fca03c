import { z } from 'zod';

const UNIT_MS = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;
const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

/** The longest duration Countersign accepts anywhere: one year. */
export const MAX_DURATION_MS = 366 * UNIT_MS.d;

/**
 * Parses a duration such as `90s`, `30m`, `48h`, `7d` or `1.5h` into milliseconds.
 * Returns `undefined` for anything else (including zero, negative and over a year).
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
  return ms > 0 && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** Formats milliseconds as the largest whole unit that fits exactly (`172800000` → `48h`). */
export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

/** A duration string such as `48h`; see {@link parseDuration}. */
export const durationSchema = z
  .string()
  .refine((text) => parseDuration(text) !== undefined, {
    message: 'Expected a duration such as "90s", "30m", "48h" or "7d" (at most a year)',
  })
  .meta({ description: 'A duration: a number and a unit (ms, s, m, h, d, w), e.g. "48h"' });
