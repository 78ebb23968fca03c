import { describe, expect, it } from 'vitest';
import { unsafeConditionReason } from './condition-cost.js';

describe('unsafeConditionReason', () => {
  it('accepts conditions whose cost is linear in the arguments', () => {
    for (const expression of [
      'args.amount > 1000',
      'args.items.all(item, item.price < 100.0)',
      'context.env == "prod" && args.to.endsWith("@example.com")',
      // Macro names and matches() inside string literals are text, not calls.
      'args.note == ".all(x, .exists(y, matches(" || args.tag == \'.map(a\'',
    ]) {
      expect(unsafeConditionReason(expression)).toBeUndefined();
    }
  });

  it('refuses regular expressions and nested or repeated loop macros', () => {
    expect(unsafeConditionReason('args.name.matches("^(a|a)*$")')).toMatch(/matches/);
    expect(unsafeConditionReason('matches(args.name, "x")')).toMatch(/matches/);
    expect(unsafeConditionReason('args.a.all(x, args.a.exists(y, x == y))')).toMatch(
      /2 loop macros/,
    );
    expect(unsafeConditionReason('args.a.map(x, x).filter(y, y > 1).size() > 0')).toMatch(
      /2 loop macros/,
    );
  });
});
