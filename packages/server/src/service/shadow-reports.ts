import type { ShadowReportBody } from '@countersign/core/protocol';
import { isoTime } from '../clock.js';
import type { ShadowReportRecord } from '../store/policy-records.js';
import type { ServiceContext } from './service-context.js';

/** How many disagreeing calls the server keeps per active/shadow pair. */
const MAX_SAMPLES = 50;

/** Adds a gate's shadow-mode counts and samples to the running totals of the pair. */
export async function recordShadowReport(
  context: ServiceContext,
  name: string,
  reporter: string,
  body: ShadowReportBody,
): Promise<void> {
  await context.store.transaction(async (tx) => {
    const known = await tx.getShadowReport(name, body.activeVersion, body.shadowVersion);
    const samples = [
      ...(known ? (JSON.parse(known.samples) as unknown[]) : []),
      ...body.samples.map((sample) => ({ ...sample, reporter })),
    ].slice(-MAX_SAMPLES);
    const report: ShadowReportRecord = {
      name,
      activeVersion: body.activeVersion,
      shadowVersion: body.shadowVersion,
      evaluations: (known?.evaluations ?? 0) + body.evaluations,
      disagreements: (known?.disagreements ?? 0) + body.disagreements,
      samples: JSON.stringify(samples),
      updatedAt: isoTime(context.clock.now()),
    };
    await tx.saveShadowReport(report);
  });
}
