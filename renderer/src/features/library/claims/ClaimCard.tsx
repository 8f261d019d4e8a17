import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { clipPosition } from '../../../../../shared/appeal-text';
import { routes, type Claim, type ClaimFile, type ClaimFinding } from '../../../../../shared/api';
import { bySeverity, findingSeverity } from '../../../../../shared/claim-severity';
import { decodeActor } from '../../../api/client';
import { currentLanguage } from '../../../i18n';
import { formatBytes } from '../../station/format';
import { formatDateTime } from '../format';
import { AppealTextBox } from './AppealTextBox';
import { messageText } from '../../../i18n/refusal-text';

/** A matched moment picked for the side-by-side view. */
interface Picked {
  position: number;
  atSeconds: number;
}

/**
 * One claim: who added it and when, the platform, claim number and the buyer's words, then each
 * buyer file with the station's preview, its findings (strongest first, AI labels as a strong
 * warning) and its best matching moments of the clip. A moment seeks the clip player there and sets
 * the clip's frame beside the buyer's photo. Everything that came from a file or a form is shown
 * as React text, never as markup.
 */
export function ClaimCard({ claim, clipId, clipStartedAt, hasVideo, onSeek }: { claim: Claim; clipId: number; clipStartedAt: string; hasVideo: boolean; onSeek: (seconds: number) => void }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  const [picked, setPicked] = useState<Picked | null>(null);
  const [showAppeal, setShowAppeal] = useState(false);

  const pickedFile = picked ? claim.files.find((f) => f.position === picked.position) : undefined;
  const pickedPreview = pickedFile?.hasPreview ? routes.claimPhotoPreview(claim.id, pickedFile.position) : null;

  const pick = (position: number, atSeconds: number): void => {
    setPicked({ position, atSeconds });
    onSeek(atSeconds);
  };

  return (
    <article className="claim-card" data-testid="claim-card" data-claim-id={claim.id}>
      <header className="claim-card__head">
        <h3 className="claim-card__title">
          {t('claim.title', { id: claim.id })}
          {claim.platform && <span className="badge badge--muted">{claim.platform}</span>}
          {claim.claimNumber && <span className="mono claim-card__number">{claim.claimNumber}</span>}
        </h3>
        <p className="panel__help">
          {t('claim.addedBy', { who: decodeActor(claim.actor), when: formatDateTime(claim.createdAt, lng) })}
        </p>
      </header>
      {claim.buyerWords && (
        <blockquote className="claim-card__words" data-testid="claim-buyer-words-shown">
          <span className="claim-card__words-label">{t('claim.buyerSaid')}</span> {claim.buyerWords}
        </blockquote>
      )}
      <ol className="claim-files">
        {claim.files.map((f) => (
          <ClaimFileRow key={f.position} claimId={claim.id} clipId={clipId} clipStartedAt={clipStartedAt} file={f} hasVideo={hasVideo} picked={picked?.position === f.position ? picked : null} onPick={pick} />
        ))}
      </ol>
      {/* One per claim (not per photo): its clip video is fetched once, and the audit log records one view. */}
      {picked && pickedPreview && <SideBySide clipId={clipId} preview={pickedPreview} position={picked.position} atSeconds={picked.atSeconds} clipStartedAt={clipStartedAt} />}
      <div className="claim-card__appeal">
        <button type="button" className="button" aria-expanded={showAppeal} data-testid="show-appeal-text" onClick={() => setShowAppeal((v) => !v)}>
          {showAppeal ? t('claim.hideAppeal') : t('claim.showAppeal')}
        </button>
        {showAppeal && <AppealTextBox clipId={clipId} claimId={claim.id} />}
      </div>
    </article>
  );
}

function ClaimFileRow({
  claimId,
  clipId,
  clipStartedAt,
  file,
  hasVideo,
  picked,
  onPick,
}: {
  claimId: number;
  clipId: number;
  clipStartedAt: string;
  file: ClaimFile;
  hasVideo: boolean;
  picked: Picked | null;
  onPick: (position: number, atSeconds: number) => void;
}) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  const preview = file.hasPreview ? routes.claimPhotoPreview(claimId, file.position) : null;
  const strongest = bySeverity(file.findings)[0];
  return (
    <li className="claim-file" data-testid="claim-file" data-position={file.position} data-kind={file.kind} data-severity={strongest ? findingSeverity(strongest.kind, strongest.values) : 'none'}>
      <div className="claim-file__grid">
        <div className="claim-file__thumb">
          {preview ? (
            <a href={preview} target="_blank" rel="noreferrer noopener" title={t('claim.openPreview')}>
              <img src={preview} alt={t('claim.photoAlt', { n: file.position })} loading="lazy" data-testid="claim-thumb" />
            </a>
          ) : (
            <div className="claim-file__nopreview">{file.kind === 'video' ? t('claim.videoNoPreview') : t('claim.noPreview', { format: file.format.toUpperCase() })}</div>
          )}
        </div>
        <div className="claim-file__facts">
          <p className="claim-file__name">
            <strong>{file.kind === 'photo' ? t('claim.photoN', { n: file.position }) : t('claim.videoFile')}</strong> <span className="claim-file__original">{file.originalName}</span>
          </p>
          <p className="panel__help">
            {file.format.toUpperCase()}
            {file.width && file.height ? ` · ${file.width} × ${file.height}` : ''} · {formatBytes(file.bytes, lng)} ·{' '}
            <span className="mono" title={file.sha256}>
              SHA-256 {file.sha256.slice(0, 16)}…
            </span>
          </p>
          <FindingList findings={file.findings} />
          {file.barcodes.length > 0 && <BarcodeList barcodes={file.barcodes} clipId={clipId} />}
          {file.kind === 'photo' && <MatchList file={file} clipStartedAt={clipStartedAt} hasVideo={hasVideo} picked={picked} onPick={onPick} />}
        </div>
      </div>
    </li>
  );
}

const SEVERITY_LABEL = {
  ai: 'claim.severityAi',
  notice: 'claim.severityNotice',
  info: 'claim.severityInfo',
  neutral: 'claim.severityNeutral',
} as const;

function FindingList({ findings }: { findings: ClaimFinding[] }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  if (findings.length === 0) return <p className="panel__help">{t('claim.noFindings')}</p>;
  return (
    <ul className="findings" data-testid="findings">
      {bySeverity(findings).map((f, i) => {
        const severity = findingSeverity(f.kind, f.values);
        const values = Object.entries(f.values);
        return (
          <li key={`${f.kind}-${i}`} className={`finding finding--${severity}`} data-testid="finding" data-kind={f.kind} data-severity={severity} role={severity === 'ai' ? 'alert' : undefined}>
            <span className={`finding__tag finding__tag--${severity}`}>{t(SEVERITY_LABEL[severity])}</span> <span className="finding__text">{messageText(f.text, lng, f.statement)}</span>
            {values.length > 0 && (
              <details className="finding__values">
                <summary>{t('claim.rawValues')}</summary>
                <dl>
                  {values.map(([k, v]) => (
                    <div key={k} className="finding__value">
                      <dt className="mono">{k}</dt>
                      <dd className="mono">{v}</dd>
                    </div>
                  ))}
                </dl>
              </details>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function BarcodeList({ barcodes, clipId }: { barcodes: ClaimFile['barcodes']; clipId: number }) {
  const { t } = useTranslation();
  return (
    <div className="claim-file__codes" data-testid="claim-barcodes">
      <span>{t('claim.codesInPhoto')}</span>
      <ul>
        {barcodes.map((b, i) => (
          <li key={`${b.text}-${i}`}>
            <span className="mono">{b.text}</span> <span className="panel__help">({b.format})</span>{' '}
            {b.clipIds.includes(clipId) ? (
              <span className="badge badge--kind-waybill">{t('claim.codeThisClip')}</span>
            ) : b.clipIds.length > 0 ? (
              b.clipIds.slice(0, 5).map((id) => (
                <a key={id} href={`#/clips/${id}`} className="claim-file__code-link">
                  #{id}
                </a>
              ))
            ) : (
              <span className="panel__help">{t('claim.codeNoClip')}</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The clock time of a moment: the clip's start plus the position (what the overlay burned into the frame shows). */
function clockAt(clipStartedAt: string, atSeconds: number, lng: string): string {
  return new Intl.DateTimeFormat(lng, { timeStyle: 'medium', hourCycle: 'h23' }).format(new Date(Date.parse(clipStartedAt) + atSeconds * 1000));
}

function MatchList({ file, clipStartedAt, hasVideo, picked, onPick }: { file: ClaimFile; clipStartedAt: string; hasVideo: boolean; picked: Picked | null; onPick: (position: number, atSeconds: number) => void }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  if (file.matches.length === 0) {
    return (
      <p className="panel__help" data-testid="no-matches">
        {hasVideo ? t('claim.noMatches') : t('claim.noMatchesNoVideo')}
      </p>
    );
  }
  return (
    <div className="matches">
      <span className="matches__label">{t('claim.matches')}</span>
      <div className="matches__list">
        {file.matches.map((m, i) => (
          <button
            key={`${m.atSeconds}-${i}`}
            type="button"
            className="button button--small match"
            aria-pressed={picked?.atSeconds === m.atSeconds}
            disabled={!hasVideo}
            data-testid="match-moment"
            data-at={m.atSeconds}
            title={t('claim.matchTitle', { score: Math.round(m.score) })}
            onClick={() => onPick(file.position, m.atSeconds)}
          >
            {i + 1}. {clipPosition(m.atSeconds)} <span className="match__clock">({clockAt(clipStartedAt, m.atSeconds, lng)})</span>
          </button>
        ))}
      </div>
    </div>
  );
}

/**
 * The buyer's photo beside the clip's frame at the picked moment: a second, muted copy of the clip's
 * video held at that time (the overlay burned into it shows the time and codes). The slider under it
 * scrubs to a better frame if the match is a little off; the main player above went to the same
 * moment too. The chosen frame is for looking only: the stored moments do not change.
 */
function SideBySide({ clipId, preview, position, atSeconds, clipStartedAt }: { clipId: number; preview: string; position: number; atSeconds: number; clipStartedAt: string }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  const frame = useRef<HTMLVideoElement>(null);
  const [ready, setReady] = useState(false);
  const [at, setAt] = useState(atSeconds);
  const [duration, setDuration] = useState<number | null>(null);

  // A newly picked moment replaces any scrubbing.
  useEffect(() => setAt(atSeconds), [atSeconds]);

  useEffect(() => {
    const v = frame.current;
    if (!v) return;
    setReady(false);
    const go = (): void => {
      if (Number.isFinite(v.duration)) setDuration(v.duration);
      v.currentTime = at;
    };
    const onSeeked = (): void => setReady(true);
    v.addEventListener('seeked', onSeeked);
    if (v.readyState >= HTMLMediaElement.HAVE_METADATA) go();
    else v.addEventListener('loadedmetadata', go, { once: true });
    return () => {
      v.removeEventListener('seeked', onSeeked);
      v.removeEventListener('loadedmetadata', go);
    };
  }, [at]);

  return (
    <div className="side-by-side" data-testid="side-by-side">
      <figure>
        <img src={preview} alt={t('claim.photoAlt', { n: position })} />
        <figcaption>{t('claim.buyerPhoto', { n: position })}</figcaption>
      </figure>
      <figure>
        <video ref={frame} src={routes.clipVideo(clipId)} muted playsInline preload="auto" data-testid="match-frame" data-ready={String(ready)} />
        <figcaption>{t('claim.clipFrame', { position: clipPosition(at), clock: clockAt(clipStartedAt, at, lng) })}</figcaption>
        {duration !== null && (
          <input
            type="range"
            className="side-by-side__scrub"
            min={0}
            max={duration}
            step={0.05}
            value={at}
            aria-label={t('claim.scrub')}
            data-testid="match-scrub"
            onChange={(e) => setAt(Number(e.target.value))}
          />
        )}
      </figure>
    </div>
  );
}
