import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { routes, type ClipSummary } from '../../../../shared/api';
import { clipHash } from '../../app/routing';
import { currentLanguage } from '../../i18n';
import { clipDurationMs, formatDateTime, formatDuration, packerText } from './format';
import { Highlight } from './highlight';

/** One search result: the whole row is a link to the clip page. */
export function ClipRow({ clip, query }: { clip: ClipSummary; query: string }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  const duration = clipDurationMs(clip);
  return (
    <li className="clip-row-item">
      <a
        className="clip-row"
        href={clipHash(clip.id)}
        data-testid="clip-row"
        data-clip-id={clip.id}
        data-protected={String(clip.protected)}
      >
        <Thumbnail clip={clip} />
        <div className="clip-row__main">
          <div className="clip-row__codes" data-testid="clip-row-codes">
            {clip.codes.length === 0 ? (
              <span className="clip-row__code clip-row__code--none">{t('library.noCodes')}</span>
            ) : (
              clip.codes.map((code, i) => (
                <span key={`${code}-${i}`} className="clip-row__code">
                  <Highlight text={code} query={query} />
                </span>
              ))
            )}
          </div>
          <div className="clip-row__meta">
            <time dateTime={clip.startedAt} title={clip.startedAt}>
              {formatDateTime(clip.startedAt, lng)}
            </time>
            <span>{duration === null ? t('library.recordingNow') : formatDuration(duration)}</span>
            <span>
              {t('stats.station')}: {clip.station}
            </span>
            {clip.packer && (
              <span data-testid="clip-row-packer">
                {t('order.packer')}: {packerText(clip)}
              </span>
            )}
            <span className="clip-row__id">#{clip.id}</span>
          </div>
        </div>
        <div className="clip-row__badges">
          <span className={`badge badge--mode-${clip.mode}`}>{t(`mode.${clip.mode}`)}</span>
          {clip.status !== 'closed' && <span className={`badge badge--status-${clip.status}`}>{t(`clipStatus.${clip.status}`)}</span>}
          {clip.protected && (
            <span className="badge badge--protected" data-testid="protected-badge">
              {t('library.protected')}
            </span>
          )}
          {clip.videoExpiredAt && (
            <span className="badge badge--muted" data-testid="expired-badge">
              {t('storage.expiredBadge')}
            </span>
          )}
          {!clip.hasVideo && !clip.videoExpiredAt && clip.status !== 'recording' && <span className="badge badge--muted">{t('library.noVideo')}</span>}
        </div>
      </a>
    </li>
  );
}

function Thumbnail({ clip }: { clip: ClipSummary }) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  if (!clip.hasThumbnail || failed) {
    return (
      <div className="clip-thumb clip-thumb--none" aria-hidden="true">
        {clip.status === 'recording' ? t('library.recordingNow') : t('library.noThumbnail')}
      </div>
    );
  }
  return <img className="clip-thumb" src={routes.clipThumbnail(clip.id)} alt="" loading="lazy" decoding="async" width={160} height={90} onError={() => setFailed(true)} />;
}
