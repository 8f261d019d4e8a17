import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, Clip } from '../../../../shared/api';
import { hubRouteTable } from '../../../../shared/hub-route-table';
import { routeUrl } from '../../../../shared/route-url';
import { api, ApiError, decodeActor, isAbort } from '../../api/client';
import { lastLibraryHash } from '../../app/routing';
import { currentLanguage } from '../../i18n';
import { formatBytes } from '../station/format';
import { exportDetail } from './audit-detail';
import { CameraDownloads } from './CameraDownloads';
import { ClaimsPanel } from './claims/ClaimsPanel';
import { ClipPlayer, type SeekRequest } from './ClipPlayer';
import { copyText } from './copy-text';
import { ExportPanel } from './ExportPanel';
import { hasNoFootage } from './footage';
import { clipDurationMs, formatDateTime, formatDuration, packerText } from './format';
import { LibraryLayout } from './LibraryLayout';
import { ParcelTrail } from './ParcelTrail';
import { operatorName } from './operator';
import { useSession } from '../auth/session-store';

/** While a clip is still recording or its video is being written, look again this often. */
const NOT_READY_POLL_MS = 2_000;

const KNOWN_END_REASONS = ['next-scan', 'stop-code', 'repeat-scan', 'cancel-code', 'max-length', 'idle', 'station stopped', 'station stopped unexpectedly'] as const;
type KnownEndReason = (typeof KNOWN_END_REASONS)[number];

/**
 * One clip, for a claim: watch it (scan markers, frame steps), read its facts (codes, times, the
 * video's SHA-256), protect it from automatic deletion, note the claim, and see who did what.
 */
export function ClipPage({ id }: { id: number }) {
  const { t } = useTranslation();
  const [clip, setClip] = useState<Clip | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [audit, setAudit] = useState<AuditEntry[] | null>(null);
  const [auditError, setAuditError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const hub = useSession((s) => s.session?.hub === true);
  const [seekRequest, setSeekRequest] = useState<SeekRequest | null>(null);
  const seekTo = useCallback((seconds: number) => setSeekRequest((prev) => ({ seconds, n: (prev?.n ?? 0) + 1 })), []);

  const loadAudit = useCallback(async () => {
    try {
      setAudit((await api.clipAudit(id)).entries);
      setAuditError(null);
    } catch (err) {
      setAuditError(err instanceof ApiError ? err : new ApiError('bad-response', String(err)));
    }
  }, [id]);

  // The clip; again every few seconds until its video exists (a clip still recording, or being cut).
  const hasVideo = clip?.video != null;
  useEffect(() => {
    if (hasVideo) return;
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      try {
        const c = await api.clip(id, ctrl.signal);
        setClip(c);
        setError(null);
        // A clip the camera recorded none of gets no video, ever: nothing to wait for.
        if (!c.video && !hasNoFootage(c)) timer = setTimeout(() => void load(), NOT_READY_POLL_MS);
      } catch (err) {
        if (isAbort(err, ctrl.signal)) return;
        setError(err instanceof ApiError ? err : new ApiError('bad-response', String(err)));
      }
    };
    void load();
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, [id, hasVideo, attempt]);

  useEffect(() => {
    void loadAudit();
  }, [loadAudit]);

  // A change (protect, note) answers with the updated clip; the audit log gained an entry.
  const onChanged = useCallback(
    (c: Clip) => {
      // A change's answer carries no related clips (only GET /api/clips/:id looks them up): keep the ones shown.
      setClip((prev) => ({ ...c, related: c.related ?? prev?.related }));
      void loadAudit();
    },
    [loadAudit],
  );

  // A claim protects the clip and is audited: show both.
  const onClaimAdded = useCallback(() => {
    api.clip(id).then(setClip, () => undefined /* the claim list shows the claim; the badge follows on the next load */);
    void loadAudit();
  }, [id, loadAudit]);

  // Opening the video is logged as a view: show it once the player has fetched it.
  const viewLogged = useRef(false);
  const onFirstPlayable = useCallback(() => {
    if (viewLogged.current) return;
    viewLogged.current = true;
    void loadAudit();
  }, [loadAudit]);

  const back = (
    <a className="back-link" href={lastLibraryHash()} data-testid="back-to-search">
      ← {t('clipPage.back')}
    </a>
  );

  if (!clip) {
    return (
      <LibraryLayout unauthorized={error?.kind === 'unauthorized'}>
        <main className="clip-page">
          {back}
          {error ? (
            <div className="empty-state empty-state--error" role="alert" data-testid="clip-error">
              <h2 className="empty-state__title">{error.status === 404 ? t('clipPage.notFound', { id }) : t('clipPage.loadError')}</h2>
              {error.status !== 404 && <p>{error.kind === 'unreachable' ? t('library.errorUnreachable') : error.message}</p>}
              {error.status !== 404 && (
                <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
                  {t('library.retry')}
                </button>
              )}
            </div>
          ) : (
            <p className="results__loading">{t('clipPage.loading')}</p>
          )}
        </main>
      </LibraryLayout>
    );
  }

  return (
    <LibraryLayout>
      <main className="clip-page" data-testid="clip-page" data-clip-id={clip.id}>
        {back}
        <header className="clip-page__head">
          <h1 className="clip-page__title" data-testid="clip-title">
            {clip.codes.length ? clip.codes.join(' · ') : t('library.noCodes')}
          </h1>
          <div className="clip-page__badges">
            <span className={`badge badge--mode-${clip.mode}`}>{t(`mode.${clip.mode}`)}</span>
            {hasNoFootage(clip) ? (
              <span className="badge badge--no-footage" data-testid="status-badge">
                {t('clipPage.noFootageBadge')}
              </span>
            ) : (
              <span className={`badge badge--status-${clip.status}`} data-testid="status-badge">
                {t(`clipStatus.${clip.status}`)}
              </span>
            )}
            {clip.protected && (
              <span className="badge badge--protected" data-testid="protected-badge">
                {t('library.protected')}
              </span>
            )}
            <span className="clip-page__id">#{clip.id}</span>
          </div>
          <ParcelTrail clip={clip} />
        </header>

        <div className="clip-page__grid">
          <div className="clip-page__main">
            {clip.videoExpiredAt ? (
              <div className="player player--waiting player--expired" data-testid="video-expired">
                <p>{t('storage.videoExpired', { date: formatDateTime(clip.videoExpiredAt, currentLanguage()) })}</p>
              </div>
            ) : clip.video ? (
              <ClipPlayer clip={clip} onFirstPlayable={onFirstPlayable} seekRequest={seekRequest} />
            ) : clip.cameras?.some((c) => c.hasVideo) ? (
              // The main camera recorded none of the clip, another camera did: that one plays, and the page says why.
              <>
                <p className="player__help" role="status" data-testid="no-main-footage">
                  {t('clipPage.noMainFootage', { name: clip.cameras.find((c) => c.main)?.name ?? clip.camera })}
                </p>
                <ClipPlayer clip={clip} onFirstPlayable={onFirstPlayable} seekRequest={seekRequest} />
              </>
            ) : hasNoFootage(clip) ? (
              <div className="player player--waiting player--no-footage" role="status" data-testid="no-footage">
                <p>{t('clipPage.noFootage')}</p>
                <p className="player__help">{t('clipPage.noFootageHelp')}</p>
              </div>
            ) : (
              <div className="player player--waiting" data-testid="video-pending">
                <p>{clip.status === 'recording' ? t('clipPage.stillRecording') : t('clipPage.videoPending')}</p>
              </div>
            )}
            {clip.gaps.length > 0 && <GapWarning clip={clip} />}
            {clip.damage.length > 0 && <DamageWarning clip={clip} />}
            {/* Claims live on the station; the hub holds the sealed bundles only. */}
            {!hub && <ClaimsPanel clip={clip} onClaimAdded={onClaimAdded} onSeek={seekTo} />}
            <AuditLog entries={audit} error={auditError} />
          </div>
          <aside className="clip-page__side">
            {hub ? (
              // Warehouse hub: the station's sealed bundle as uploaded; protect and note are changed at the station.
              <HubClipPanel clip={clip} />
            ) : (
              <>
                <ProtectPanel clip={clip} onChanged={onChanged} />
                <NotePanel clip={clip} onChanged={onChanged} />
                <ExportPanel clip={clip} onExported={() => void loadAudit()} /* it shows its own failure */ />
              </>
            )}
            {clip.cameras && clip.cameras.length > 1 && !clip.videoExpiredAt && <CameraDownloads clipId={clip.id} cameras={clip.cameras} />}
            <ClipDetails clip={clip} />
          </aside>
        </div>
      </main>
    </LibraryLayout>
  );
}

/** On the hub: which bench recorded the clip, its protection and note as the station sent them, and the bundle to download. */
function HubClipPanel({ clip }: { clip: Clip }) {
  const { t } = useTranslation();
  return (
    <section className="panel" data-testid="hub-clip-panel">
      <h2 className="panel__title">{t('hub.station')}</h2>
      <p data-testid="hub-clip-station">{clip.station}</p>
      <p>{clip.protected ? t('hub.protectedAtStation') : t('hub.notProtected')}</p>
      {clip.note && <p className="note-text">{clip.note}</p>}
      {clip.video && (
        <a className="button" href={routeUrl(hubRouteTable.exportBundle, { id: clip.id })} download data-testid="hub-export">
          {t('hub.downloadBundle')}
        </a>
      )}
    </section>
  );
}

function GapWarning({ clip }: { clip: Clip }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  return (
    <div className="gap-warning" role="note" data-testid="gap-warning">
      <strong>{t('clipPage.gapsTitle', { count: clip.gaps.length })}</strong>
      <ul>
        {clip.gaps.map((g) => (
          <li key={g.id}>
            {formatDateTime(g.startedAt, lng)} – {g.endedAt ? formatDateTime(g.endedAt, lng) : '…'} ({g.reason})
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Faults: segment files of this clip that no longer match their recorded hash. */
function DamageWarning({ clip }: { clip: Clip }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  return (
    <div className="gap-warning gap-warning--damage" role="alert" data-testid="damage-warning">
      <strong>{t('faults.damageTitle', { count: clip.damage.length })}</strong>
      <ul>
        {clip.damage.map((d) => (
          <li key={d.segmentId} title={d.file}>
            {t('faults.damageLine', { from: formatDateTime(d.startedAt, lng), to: formatDateTime(d.endedAt, lng), kind: t(`faults.${d.kind}`), detail: d.detail })}
          </li>
        ))}
      </ul>
      <p>{t('faults.damageHelp')}</p>
    </div>
  );
}

function useSave(clip: Clip, onChanged: (c: Clip) => void) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (patch: { protected?: boolean; note?: string | null }): Promise<boolean> => {
    setSaving(true);
    setError(null);
    try {
      onChanged(await api.patchClip(clip.id, patch, operatorName()));
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return false;
    } finally {
      setSaving(false);
    }
  };
  return { saving, error, save };
}

function ProtectPanel({ clip, onChanged }: { clip: Clip; onChanged: (c: Clip) => void }) {
  const { t } = useTranslation();
  const { saving, error, save } = useSave(clip, onChanged);
  return (
    <section className="panel protect-panel" data-protected={String(clip.protected)}>
      <h2 className="panel__title">{t('clipPage.protection')}</h2>
      <button
        type="button"
        role="switch"
        aria-checked={clip.protected}
        className="protect-toggle"
        data-testid="protect-toggle"
        disabled={saving}
        onClick={() => void save({ protected: !clip.protected })}
      >
        <span className="protect-toggle__track" aria-hidden="true">
          <span className="protect-toggle__knob" />
        </span>
        <span className="protect-toggle__text">{clip.protected ? t('clipPage.protectedOn') : t('clipPage.protectedOff')}</span>
      </button>
      <p className="panel__help">{t('clipPage.protectHelp')}</p>
      {error && (
        <p className="panel__error" role="alert">
          {t('clipPage.saveError', { message: error })}
        </p>
      )}
    </section>
  );
}

function NotePanel({ clip, onChanged }: { clip: Clip; onChanged: (c: Clip) => void }) {
  const { t } = useTranslation();
  const saved = clip.note ?? '';
  const [text, setText] = useState(saved);
  const [justSaved, setJustSaved] = useState(false);
  const { saving, error, save } = useSave(clip, onChanged);
  const dirty = text !== saved;
  return (
    <section className="panel note-panel">
      <h2 className="panel__title">
        <label htmlFor="clip-note">{t('clipPage.note')}</label>
      </h2>
      <textarea
        id="clip-note"
        className="field-input note-panel__text"
        data-testid="clip-note"
        value={text}
        maxLength={2000}
        rows={4}
        placeholder={t('clipPage.notePlaceholder')}
        onChange={(e) => {
          setText(e.target.value);
          setJustSaved(false);
        }}
      />
      <div className="note-panel__actions">
        <button
          type="button"
          className="button button--primary"
          data-testid="save-note"
          disabled={!dirty || saving}
          onClick={() => {
            // save() shows its own failure and never rejects.
            void save({ note: text.trim() ? text : null }).then((ok) => ok && setJustSaved(true));
          }}
        >
          {saving ? t('clipPage.saving') : t('clipPage.saveNote')}
        </button>
        {dirty && !saving && <span className="note-panel__state">{t('clipPage.unsaved')}</span>}
        {justSaved && !dirty && (
          <span className="note-panel__state note-panel__state--ok" data-testid="note-saved">
            ✓ {t('clipPage.saved')}
          </span>
        )}
      </div>
      {error && (
        <p className="panel__error" role="alert">
          {t('clipPage.saveError', { message: error })}
        </p>
      )}
    </section>
  );
}

function ClipDetails({ clip }: { clip: Clip }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  const duration = clipDurationMs(clip);
  const start = Date.parse(clip.startedAt);
  const reason = clip.endReason;
  const reasonText = reason && (KNOWN_END_REASONS as readonly string[]).includes(reason) ? t(`endReason.${reason as KnownEndReason}`) : reason;
  return (
    <section className="panel details" data-testid="clip-details">
      <h2 className="panel__title">{t('clipPage.details')}</h2>
      <dl className="details__list">
        <dt>{t('clipPage.codes')}</dt>
        <dd>
          <ul className="details__codes">
            {clip.codeDetails.map((c, i) => (
              <li key={`${c.code}-${i}`}>
                <span className={`badge badge--kind-${c.kind}`}>{t(`codeKind.${c.kind}`)}</span> <span className="mono details__code">{c.code}</span>{' '}
                <span className="details__aside" title={c.scannedAt}>
                  {t('clipPage.scannedAt', { offset: ((Date.parse(c.scannedAt) - start) / 1000).toFixed(1) })}
                </span>
              </li>
            ))}
            {clip.codeDetails.length === 0 && <li>{t('library.noCodes')}</li>}
          </ul>
        </dd>
        <dt>{t('clipPage.started')}</dt>
        <dd>
          <time dateTime={clip.startedAt} title={clip.startedAt} data-testid="clip-started">
            {formatDateTime(clip.startedAt, lng)}
          </time>
        </dd>
        <dt>{t('clipPage.ended')}</dt>
        <dd>
          {clip.endedAt ? (
            <time dateTime={clip.endedAt} title={clip.endedAt}>
              {formatDateTime(clip.endedAt, lng)}
            </time>
          ) : (
            t('library.recordingNow')
          )}
        </dd>
        <dt>{t('clipPage.duration')}</dt>
        <dd>{duration === null ? '—' : formatDuration(duration)}</dd>
        {clip.order && (
          <>
            <dt>{t('order.label')}</dt>
            <dd data-testid="clip-order">
              <span className="mono">{clip.order.orderNo}</span>
              {clip.order.platform ? ` · ${clip.order.platform}` : ''}
              {clip.order.buyer ? ` · ${t('order.buyer')}: ${clip.order.buyer}` : ''}
              <ul className="details__codes">
                {clip.order.items.map((it, i) => (
                  <li key={i}>
                    {t('order.qty', { qty: it.qty })} {it.name}
                    {it.sku ? ` (${it.sku})` : ''}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        <dt>{t('order.packer')}</dt>
        <dd data-testid="clip-packer">{packerText(clip) ?? '—'}</dd>
        <dt>{t('stats.station')}</dt>
        <dd>{clip.station}</dd>
        <dt>{t('stats.camera')}</dt>
        <dd>{clip.camera}</dd>
        <dt>{t('library.mode')}</dt>
        <dd>{t(`mode.${clip.mode}`)}</dd>
        <dt>{t('library.status')}</dt>
        <dd>{t(`clipStatus.${clip.status}`)}</dd>
        <dt>{t('clipPage.endReason')}</dt>
        <dd>{reasonText ?? '—'}</dd>
        <dt>{t('clipPage.video')}</dt>
        <dd>
          {clip.video
            ? `${formatBytes(clip.video.bytes, lng)} (${new Intl.NumberFormat(lng).format(clip.video.bytes)} B) · ${formatDuration(clip.video.durationMs)}`
            : hasNoFootage(clip)
              ? t('clipPage.noFootageShort')
              : t('clipPage.videoPendingShort')}
        </dd>
        <dt>SHA-256</dt>
        <dd>{clip.video ? <HashValue hash={clip.video.sha256} /> : '—'}</dd>
      </dl>
    </section>
  );
}

function HashValue({ hash }: { hash: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  useEffect(() => {
    if (copied === null) return;
    const id = setTimeout(() => setCopied(null), 2_000);
    return () => clearTimeout(id);
  }, [copied]);
  return (
    <div className="hash">
      <code ref={ref} className="mono hash__value" data-testid="clip-sha256">
        {hash}
      </code>
      <button type="button" className="button button--small" data-testid="copy-sha256" onClick={() => void copyText(hash, ref.current).then(setCopied) /* never rejects: false when it could not copy */}>
        {copied === true ? `✓ ${t('clipPage.copied')}` : copied === false ? t('clipPage.copyFailed') : t('clipPage.copy')}
      </button>
    </div>
  );
}

/** An export's facts as labelled fields; any other detail (a note) as its text. */
function AuditDetail({ action, detail }: { action: AuditEntry['action']; detail: string | null }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  const ex = action === 'export' ? exportDetail(detail) : null;
  if (!ex) return <>{detail ?? ''}</>;
  return (
    <dl className="audit__fields" data-testid="audit-export-detail">
      <dt>{t('clipPage.auditExportPreset')}</dt>
      <dd>{ex.preset ?? t('clipPage.auditExportNoPreset')}</dd>
      {ex.kind && (
        <>
          <dt>{t('clipPage.auditExportKind')}</dt>
          <dd>{ex.kind === 'fit' ? t('clipPage.auditExportFit') : t('clipPage.auditExportOriginal')}</dd>
        </>
      )}
      {ex.bytes != null && (
        <>
          <dt>{t('clipPage.auditExportSize')}</dt>
          <dd>{formatBytes(ex.bytes, lng)}</dd>
        </>
      )}
      {ex.sha256 && (
        <>
          <dt>SHA-256</dt>
          <dd className="audit__hash" title={ex.sha256}>
            {ex.sha256.slice(0, 12)}…{ex.sha256.slice(-6)}
          </dd>
        </>
      )}
    </dl>
  );
}

function AuditLog({ entries, error }: { entries: AuditEntry[] | null; error: ApiError | null }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  return (
    <section className="panel audit" data-testid="audit-log">
      <h2 className="panel__title">{t('clipPage.audit')}</h2>
      {error && (
        <p className="panel__error" role="alert">
          {t('clipPage.auditError', { message: error.message })}
        </p>
      )}
      {entries === null ? (
        !error && <p className="panel__help">{t('clipPage.loading')}</p>
      ) : entries.length === 0 ? (
        <p className="panel__help">{t('clipPage.auditEmpty')}</p>
      ) : (
        <table className="audit__table">
          <thead>
            <tr>
              <th scope="col">{t('clipPage.auditTime')}</th>
              <th scope="col">{t('clipPage.auditActor')}</th>
              <th scope="col">{t('clipPage.auditAction')}</th>
              <th scope="col">{t('clipPage.auditDetail')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={`${e.at}-${i}`} data-testid="audit-entry" data-action={e.action}>
                <td>
                  <time dateTime={e.at} title={e.at}>
                    {formatDateTime(e.at, lng)}
                  </time>
                </td>
                <td>{decodeActor(e.actor)}</td>
                <td>{t(`auditAction.${e.action}`)}</td>
                <td className="audit__detail">
                  <AuditDetail action={e.action} detail={e.detail} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
