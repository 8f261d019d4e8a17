import { useTranslation } from 'react-i18next';
import type { StatusResponse } from '../../../../shared/api';
import { FitText } from './FitText';
import { formatElapsed } from './format';
import { OrderChecklist } from './OrderChecklist';

/**
 * The line the packer reads from across the bench: the mode as a colour (blue packing, orange
 * returns), the order being recorded in the largest type on the screen, and how long it has run.
 *
 * `clockOffsetMs` is the station's clock minus this PC's, so the elapsed time is measured on the
 * station's clock (the one the clip is cut by), whatever this PC's clock says.
 */
export function ActiveClipBand({ status, now, clockOffsetMs }: { status: StatusResponse | null; now: number; clockOffsetMs: number }) {
  const { t } = useTranslation();
  // While a clip runs, its own mode; otherwise the mode the next clip will get.
  const mode = status?.activeMode ?? status?.mode ?? 'pack';
  const codes = status?.activeClipId != null ? status.activeCodes : [];
  const since = status?.activeSince ? Date.parse(status.activeSince) : null;
  const active = codes.length > 0;
  // A clip is open and the station is not recording: said here for as long as it lasts.
  const notFilmed = active && status !== null && !status.recording;
  return (
    <section className="clip-band" data-testid="clip-band" data-mode={mode} data-active={String(active)} data-filmed={String(!notFilmed)} aria-live="polite">
      <div className="clip-band__mode" data-testid="mode">
        {t(`mode.${mode}`)}
      </div>
      {active ? (
        <div className="clip-band__codes" data-testid="active-codes" aria-label={t('clip.label')} data-count={codes.length}>
          {codes.map((code) => (
            <FitText key={code} className="clip-band__code">
              {code}
            </FitText>
          ))}
        </div>
      ) : (
        <div className="clip-band__idle" data-testid="active-codes-idle">
          {status ? t('clip.idle') : ''}
        </div>
      )}
      {active && since !== null && (
        <div className="clip-band__elapsed" data-testid="active-elapsed" title={t('clip.elapsed')}>
          {formatElapsed(now + clockOffsetMs - since)}
        </div>
      )}
      {active && status?.activeOrder && status.activeClipId != null && <OrderChecklist order={status.activeOrder} clipId={status.activeClipId} />}
      {notFilmed && (
        <div className="clip-band__not-filmed" data-testid="clip-not-filmed" role="alert">
          ⚠ {t('clip.notFilmed')}
        </div>
      )}
    </section>
  );
}
