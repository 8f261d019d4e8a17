import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { routes, type Clip, type ExportFileRole, type ExportJob, type ExportPreset } from '../../../../shared/api';
import { expectedExportSize, exportedSize, LARGE_EXPORT, largeExport, minutesSeconds, type LargeExport } from '../../../../shared/export-size';
import { api } from '../../api/client';
import { hasNoFootage } from './footage';
import { shell } from '../../app/shell';
import { currentLanguage } from '../../i18n';
import { messageText } from '../../i18n/refusal-text';
import { formatBytes } from '../station/format';
import { operatorName } from './operator';

const JOB_POLL_MS = 500;
/** The files a merchant uploads or keeps, in the order they are offered. */
const OFFERED: ExportFileRole[] = ['video', 'composite', 'sheet-jpg', 'sheet-png', 'sheet-pdf', 'zip'];

/**
 * Export for an appeal: pick the platform (or type its limits), start, watch progress, cancel, then
 * download the video / sheet / signed bundle — or, in the desktop app, drag a file straight from here
 * into the platform's upload field.
 */
export function ExportPanel({ clip, onExported }: { clip: Clip; onExported: () => void }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  const [presets, setPresets] = useState<ExportPreset[] | null>(null);
  const [presetId, setPresetId] = useState('original');
  const [maxMb, setMaxMb] = useState('');
  const [maxSeconds, setMaxSeconds] = useState('');
  const [banner, setBanner] = useState(false);
  const [composite, setComposite] = useState(false);
  const [job, setJob] = useState<ExportJob | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.exportPresets().then(setPresets, (err: Error) => setError(err.message));
  }, []);

  const choose = (id: string): void => {
    setPresetId(id);
    const p = presets?.find((x) => x.id === id);
    setMaxMb(p?.maxMb != null ? String(p.maxMb) : '');
    setMaxSeconds(p?.maxSeconds != null ? String(p.maxSeconds) : '');
  };

  const running = job?.state === 'queued' || job?.state === 'running';
  useEffect(() => {
    if (!job || !running) return;
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      api.exportJob(job.id, ctrl.signal).then(
        (j) => {
          setJob(j);
          if (j.state === 'done') onExported();
        },
        (err: Error) => !ctrl.signal.aborted && setError(err.message),
      );
    }, JOB_POLL_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [job, running, onExported]);

  const start = async (): Promise<void> => {
    setError(null);
    const num = (v: string): number | undefined => (v.trim() === '' ? undefined : Number(v));
    const mb = num(maxMb);
    const secs = num(maxSeconds);
    if ((mb !== undefined && !(mb > 0)) || (secs !== undefined && !(secs > 0))) {
      setError(t('export.badLimit'));
      return;
    }
    try {
      setJob(await api.startExport(clip.id, { preset: presetId, maxMb: mb, maxSeconds: secs, banner, sheet: true, composite: composite && severalCameras, locale: lng }, operatorName()));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const preset = presets?.find((p) => p.id === presetId);
  // The bundle holds every camera's video anyway; one file with all views is for platforms that take one.
  const severalCameras = (clip.cameras?.filter((c) => c.hasVideo).length ?? 0) > 1 && !preset?.imagesOnly;
  // Warned before anything is made: the video this choice can come to at most.
  const limitOf = (v: string): number | null => (presetId === 'original' || preset?.imagesOnly || v.trim() === '' || !(Number(v) > 0) ? null : Number(v));
  const largeBefore = clip.video && job?.state !== 'done' ? largeExport(expectedExportSize(clip.video, { maxMb: limitOf(maxMb), maxSeconds: limitOf(maxSeconds) })) : null;
  return (
    <section className="panel export-panel" data-testid="export-panel">
      <h2 className="panel__title">{t('export.title')}</h2>
      <label className="field">
        <span className="field__label">{t('export.platform')}</span>
        <select className="field-input" data-testid="export-preset" value={presetId} disabled={running || !presets} onChange={(e) => choose(e.target.value)}>
          {(presets ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name[lng]}
            </option>
          ))}
        </select>
      </label>
      {preset?.note[lng] && (
        <p className="panel__help" data-testid="export-preset-note">
          {preset.note[lng]}
        </p>
      )}
      {preset && !preset.published && (preset.maxMb !== null || preset.maxSeconds !== null) && (
        <p className="panel__help panel__help--warn" data-testid="export-unpublished">
          {t('export.unpublished')}
        </p>
      )}
      {presetId !== 'original' && !preset?.imagesOnly && (
        <div className="export-panel__limits">
          <label className="field">
            <span className="field__label">{t('export.maxMb')}</span>
            <input className="field-input" data-testid="export-max-mb" inputMode="decimal" value={maxMb} disabled={running} onChange={(e) => setMaxMb(e.target.value)} placeholder={t('export.noLimit')} />
          </label>
          <label className="field">
            <span className="field__label">{t('export.maxSeconds')}</span>
            <input className="field-input" data-testid="export-max-seconds" inputMode="decimal" value={maxSeconds} disabled={running} onChange={(e) => setMaxSeconds(e.target.value)} placeholder={t('export.noLimit')} />
          </label>
          <label className="field field--check">
            <input type="checkbox" data-testid="export-banner" checked={banner} disabled={running} onChange={(e) => setBanner(e.target.checked)} />
            <span>{t('export.banner')}</span>
          </label>
        </div>
      )}
      {severalCameras && (
        <label className="field field--check">
          <input type="checkbox" data-testid="export-composite" checked={composite} disabled={running} onChange={(e) => setComposite(e.target.checked)} />
          <span>{t('export.composite', { count: clip.cameras!.length })}</span>
        </label>
      )}
      {largeBefore && <LargeWarning large={largeBefore} when="before" />}
      {!running ? (
        <>
          <button type="button" className="button button--primary" data-testid="export-start" disabled={!clip.video || !presets} onClick={() => void start()} aria-describedby={hasNoFootage(clip) ? 'export-no-footage' : undefined}>
            {t('export.start')}
          </button>
          {hasNoFootage(clip) && (
            <p className="panel__help" id="export-no-footage" data-testid="export-refusal">
              {t('export.noFootage')}
            </p>
          )}
        </>
      ) : (
        <div className="export-progress" data-testid="export-progress">
          <progress max={100} value={job.percent} />
          <span>
            {t(`export.phase.${job.phase}`)} {job.percent.toFixed(0)}%{job.etaSeconds != null && ` · ${t('export.eta', { seconds: job.etaSeconds })}`}
          </span>
          <button type="button" className="button" data-testid="export-cancel" onClick={() => void api.cancelExport(job.id).then(setJob, (err: Error) => setError(err.message))}>
            {t('export.cancel')}
          </button>
        </div>
      )}
      {job?.state === 'cancelled' && <p className="panel__help">{t('export.cancelled')}</p>}
      {job?.state === 'failed' && (
        <p className="panel__error" role="alert" data-testid="export-error">
          {t('export.failed', { message: messageText(job.errorMessage, currentLanguage(), job.error) })}
        </p>
      )}
      {error && (
        <p className="panel__error" role="alert">
          {error}
        </p>
      )}
      {job?.state === 'done' && <ExportFiles job={job} />}
    </section>
  );
}

/** "Over 20 MB or 3 minutes: many upload forms refuse it", before an export or about the one made. */
function LargeWarning({ large, when }: { large: LargeExport; when: 'before' | 'after' }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  const over = [large.overBytes && t('export.overBytes', { mb: LARGE_EXPORT.bytes / 1e6 }), large.overSeconds && t('export.overSeconds', { minutes: LARGE_EXPORT.seconds / 60 })].filter(Boolean).join(t('export.overJoin'));
  return (
    <p className="panel__error" role="alert" data-testid="export-large-warning" data-when={when}>
      {t(when === 'before' ? 'export.largeBefore' : 'export.largeAfter', { size: formatBytes(large.bytes, lng), length: minutesSeconds(large.seconds), over })}
    </p>
  );
}

function ExportFiles({ job }: { job: ExportJob }) {
  const { t } = useTranslation();
  const files = OFFERED.flatMap((role) => job.files.filter((f) => f.role === role));
  const video = job.files.find((f) => f.role === 'video');
  const large = job.plan && video ? largeExport(exportedSize(job.plan, video.bytes)) : null;
  return (
    <div className="export-files" data-testid="export-files">
      {large && <LargeWarning large={large} when="after" />}
      {job.plan?.kind === 'original' && job.plan.withinLimits && (
        <p className="panel__help" data-testid="export-plan">
          {t('export.planWithinLimits', {
            limits: [job.plan.withinLimits.maxBytes !== null && `≤ ${job.plan.withinLimits.maxBytes / 1e6} MB`, job.plan.withinLimits.maxSeconds !== null && `≤ ${job.plan.withinLimits.maxSeconds} s`].filter(Boolean).join(', '),
          })}
        </p>
      )}
      {job.plan?.kind === 'fit' && (
        <p className="panel__help" data-testid="export-plan">
          {t('export.planFit', { width: job.plan.width, height: job.plan.height, fps: job.plan.fps, from: job.plan.fromSec.toFixed(1), to: job.plan.toSec.toFixed(1) })}
          {job.plan.speed !== 1 && ` · ${t('export.planSpeed', { speed: job.plan.speed })}`}
        </p>
      )}
      <ul className="export-files__list">
        {files.map((f) => (
          <li key={f.role} className="export-files__item">
            <a
              href={routes.exportFile(job.id, f.role)}
              download={f.name}
              draggable
              data-testid={`export-file-${f.role}`}
              // In the desktop app the file itself is dragged, so it can be dropped on a browser's upload field.
              onDragStart={(e) => {
                if (!shell?.startDrag) return;
                e.preventDefault();
                shell.startDrag(job.id, f.role);
              }}
            >
              {t(`export.file.${f.role}`)}
            </a>
            <span className="export-files__meta">
              {f.name} · {formatBytes(f.bytes, currentLanguage())}
            </span>
            {shell?.saveAs && (
              <button type="button" className="button button--small" onClick={() => void shell!.saveAs!(job.id, f.role)}>
                {t('export.saveAs')}
              </button>
            )}
            {shell?.showInFolder && (
              <button type="button" className="button button--small" onClick={() => void shell!.showInFolder!(job.id, f.role) /* as saveAs: it only reveals the file; a failure has nothing to show here */}>
                {t('export.showInFolder')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <p className="panel__help">{t('export.verifyHint')}</p>
    </div>
  );
}
