import { describe, expect, it } from 'vitest';
import * as adapter from './index.js';

describe('@countersign/core/adapter', () => {
  it('exports the kit the adapters share, by name', () => {
    expect(Object.keys(adapter).sort()).toEqual([
      'APPROVAL_KEY',
      'PREVIEW_META_KEY',
      'ReportedRuns',
      'approvalOf',
      'beginReported',
      'endReported',
      'invalidOptions',
      'isJsonObject',
      'resolveGate',
      'runReported',
      'toolApprovalInfo',
      'toolPreview',
      'withApprovalOf',
    ]);
  });
});
