import type { JsonObject } from '@countersign/core';

/** The quarter's ledger totals (what `read_ledger` returns in this example), in EUR thousands. */
export const LEDGER: Record<string, { revenue: number; costs: number; cash: number }> = {
  '2026-Q3': { revenue: 12_400, costs: 9_850, cash: 31_200 },
  '2026-Q2': { revenue: 11_100, costs: 9_400, cash: 29_900 },
};

/** Drafts the financial summary for the board: deterministic, so a redraft would be identical. */
export function draftSummary(quarter: string): JsonObject {
  const now = LEDGER[quarter];
  if (!now) throw new Error(`No ledger for ${quarter}`);
  const margin = ((now.revenue - now.costs) / now.revenue) * 100;
  return {
    title: `Quarterly board report ${quarter}`,
    revision: 1,
    summary: [
      `Revenue EUR ${now.revenue}k, operating costs EUR ${now.costs}k, operating margin ${margin.toFixed(1)}%.`,
      `Cash at quarter end EUR ${now.cash}k.`,
      'We expect next quarter to beat this one.',
    ],
  };
}
