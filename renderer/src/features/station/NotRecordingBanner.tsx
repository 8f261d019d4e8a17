import { useTranslation } from 'react-i18next';
import { currentLanguage, otherLanguage } from '../../i18n';
import type { Alarm } from './station-store';

const REASON_KEY = {
  connecting: 'banner.connecting',
  unreachable: 'banner.unreachable',
  stale: 'banner.stale',
  'station-error': 'banner.stationError',
  'camera-not-recording': 'banner.cameraNotRecording',
  'disk-full': 'storage.diskFull',
} as const;

/**
 * The alarm, in both languages whatever the switch says: whoever is at the bench must understand
 * it, including someone who cannot read the language the last person chose.
 */
export function NotRecordingBanner({ alarm }: { alarm: Exclude<Alarm, 'unauthorized'> }) {
  const { t, i18n } = useTranslation();
  const other = otherLanguage(currentLanguage());
  const tOther = i18n.getFixedT(other);
  return (
    <div className="not-recording-banner" role="alert" data-testid="not-recording-banner" data-reason={alarm}>
      <div className="not-recording-banner__title">
        <span>{t('banner.title')}</span> <span lang={other}>{tOther('banner.title')}</span>
      </div>
      <div className="not-recording-banner__reason">{t(REASON_KEY[alarm])}</div>
    </div>
  );
}
