/**
 * An audit entry's detail, made readable. Exports record their facts as JSON
 * (electron/station/export/export-jobs.ts: preset, plan kind, bytes, SHA-256); the clip page shows
 * them as labelled fields, not as the raw text. Anything that does not parse as that shape (a note,
 * an older entry) is shown as the text it is.
 */
import { z } from 'zod';

const ExportDetail = z.object({
  preset: z.string().max(200).nullable().optional(),
  kind: z.enum(['original', 'fit']).nullable().optional(),
  bytes: z.number().int().nonnegative().nullable().optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
    .optional(),
});
export type ExportDetail = z.infer<typeof ExportDetail>;

/** The export's facts, or null when the detail is not an export record. */
export function exportDetail(detail: string | null): ExportDetail | null {
  if (!detail || detail.length > 2_000 || !detail.startsWith('{')) return null;
  try {
    const r = ExportDetail.safeParse(JSON.parse(detail));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
