/**
 * Export jobs for the HTTP API: one encode at a time (a station has two cores and is recording), the
 * rest queued; each with progress, ETA and cancel. Jobs live in memory — the bundles they produce are
 * on disk under `exports/`, and the audit log records every finished export.
 */
import { randomUUID } from 'node:crypto';
import { join, relative } from 'node:path';
import type { ExportFileRole, ExportJob, ExportRequest } from '../../../shared/api.js';
import { toIso } from '../catalog/time.js';
import { errorMessage } from '../localized-error.js';
import { log } from '../log.js';
import { etaSeconds, exportClip, type ClipExportDeps, type ExportPhase } from './clip-export.js';
import { ExportCancelledError } from './transcode.js';

/** Finished jobs kept for the UI to show and download from. */
const KEEP_FINISHED = 50;

interface JobRecord {
  job: ExportJob;
  request: ExportRequest;
  actor: string;
  abort: AbortController;
  startedMs: number | null;
  /** Relative to the data folder, by role; the download route reads paths only from here. */
  paths: Map<ExportFileRole, string>;
  /** The job's folder (holding the bundle and its zip), relative to the data folder, once the job runs. */
  bundleRel: string | null;
}

export class ExportJobs {
  private readonly jobs = new Map<string, JobRecord>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: () => ClipExportDeps) {}

  start(clipId: number, request: ExportRequest, actor: string): ExportJob {
    const id = randomUUID();
    const job: ExportJob = {
      id,
      clipId,
      state: 'queued',
      phase: 'waiting',
      percent: 0,
      etaSeconds: null,
      error: null,
      errorMessage: null,
      plan: null,
      files: [],
      createdAt: toIso(Date.now()),
      finishedAt: null,
    };
    const rec: JobRecord = { job, request, actor, abort: new AbortController(), startedMs: null, paths: new Map(), bundleRel: null };
    this.jobs.set(id, rec);
    this.queue = this.queue.then(() => this.run(rec));
    this.prune();
    return { ...job };
  }

  get(id: string): ExportJob | null {
    const rec = this.jobs.get(id);
    return rec ? { ...rec.job } : null;
  }

  /** Clips an export waits for or reads now: retention keeps their footage until it is done. */
  busyClipIds(): Set<number> {
    return new Set([...this.jobs.values()].filter((r) => r.job.state === 'queued' || r.job.state === 'running').map((r) => r.job.clipId));
  }

  /** Bundles a job is writing now (relative, no suffix): the export janitor leaves them alone. */
  busyBundles(): Set<string> {
    return new Set([...this.jobs.values()].filter((r) => r.bundleRel !== null && (r.job.state === 'queued' || r.job.state === 'running')).map((r) => r.bundleRel!));
  }

  /** The janitor deleted these bundles: their jobs go from the list, so no download points at a missing file. */
  forgetBundles(bundles: readonly string[]): void {
    const gone = new Set(bundles);
    for (const [id, r] of this.jobs) if (r.bundleRel !== null && gone.has(r.bundleRel)) this.jobs.delete(id);
  }

  list(clipId?: number): ExportJob[] {
    return [...this.jobs.values()].filter((r) => clipId === undefined || r.job.clipId === clipId).map((r) => ({ ...r.job })).reverse();
  }

  /** Cancel a queued or running job; false when it had already finished. */
  cancel(id: string): boolean {
    const rec = this.jobs.get(id);
    if (!rec || (rec.job.state !== 'queued' && rec.job.state !== 'running')) return false;
    rec.abort.abort();
    if (rec.job.state === 'queued') this.finish(rec, 'cancelled', null);
    return true;
  }

  file(id: string, role: ExportFileRole): string | null {
    return this.jobs.get(id)?.paths.get(role) ?? null;
  }

  /** Resolves when no job is queued or running. */
  async idle(): Promise<void> {
    await this.queue;
  }

  cancelAll(): void {
    for (const id of this.jobs.keys()) this.cancel(id);
  }

  private async run(rec: JobRecord): Promise<void> {
    if (rec.job.state !== 'queued') return;
    const d = this.deps();
    rec.job.state = 'running';
    rec.startedMs = Date.now();
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    // One folder per job, named for the export janitor (its stamp is the job's start); the bundle and
    // its zip inside it are named for the reviewer (export-names.ts), and two jobs never share a name.
    const jobDir = join(d.dataDir, 'exports', stamp.slice(0, 8), `clip-${rec.job.clipId}-${stamp}`);
    rec.bundleRel = relative(d.dataDir, jobDir).split('\\').join('/');
    try {
      const result = await exportClip(d, rec.job.clipId, rec.request, { inside: jobDir }, {
        signal: rec.abort.signal,
        onProgress: (percent, phase) => this.progress(rec, percent, phase),
      });
      rec.job.plan = result.plan;
      rec.job.files = result.files.map(({ role, name, bytes, sha256 }) => ({ role, name, bytes, sha256 }));
      for (const f of result.files) rec.paths.set(f.role, relative(d.dataDir, f.path).split('\\').join('/'));
      const video = result.files.find((f) => f.role === 'video');
      d.clips.audit(rec.job.clipId, rec.actor, 'export', JSON.stringify({ preset: rec.request.preset ?? null, kind: result.plan.kind, bytes: video?.bytes, sha256: video?.sha256 }));
      this.finish(rec, 'done', null);
    } catch (err) {
      if (err instanceof ExportCancelledError || rec.abort.signal.aborted) this.finish(rec, 'cancelled', null);
      else {
        log.warn('an export failed', { clipId: rec.job.clipId, error: (err as Error).message });
        this.finish(rec, 'failed', err as Error);
      }
    }
  }

  private progress(rec: JobRecord, percent: number, phase: ExportPhase): void {
    rec.job.percent = percent;
    rec.job.phase = phase;
    rec.job.etaSeconds = etaSeconds(rec.startedMs ?? Date.now(), percent);
  }

  private finish(rec: JobRecord, state: ExportJob['state'], error: Error | null): void {
    rec.job.state = state;
    rec.job.error = error?.message ?? null;
    rec.job.errorMessage = errorMessage(error);
    rec.job.phase = 'finished';
    rec.job.etaSeconds = state === 'done' ? 0 : null;
    if (state === 'done') rec.job.percent = 100;
    rec.job.finishedAt = toIso(Date.now());
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((r) => r.job.finishedAt !== null);
    for (const r of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(r.job.id);
  }
}
