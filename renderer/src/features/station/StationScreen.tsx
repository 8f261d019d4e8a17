import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../i18n/LanguageSwitch';
import { LivePreview } from './LivePreview';
import { NotRecordingBanner } from './NotRecordingBanner';
import { RecordingIndicator } from './RecordingIndicator';
import { alarmOf, isOffline, useStationStore } from './station-store';
import { StatusPanel } from './StatusPanel';
import { UnauthorizedNotice } from './UnauthorizedNotice';
import { useNow } from './use-now';

/** Often enough that staleness shows within a second of the limit. */
const CLOCK_TICK_MS = 500;

export function StationScreen() {
  const { t } = useTranslation();
  const startPolling = useStationStore((s) => s.startPolling);
  const status = useStationStore((s) => s.status);
  const error = useStationStore((s) => s.error);
  const lastOkAt = useStationStore((s) => s.lastOkAt);
  const now = useNow(CLOCK_TICK_MS);

  useEffect(() => startPolling(), [startPolling]);

  // The indicator and the banner come from the same value, so they can never disagree.
  const alarm = alarmOf({ status, error, lastOkAt }, now);
  if (alarm === 'unauthorized') return <UnauthorizedNotice />;
  const offline = isOffline({ error, lastOkAt }, now);

  return (
    <div className="station-screen">
      {alarm && <NotRecordingBanner alarm={alarm} />}
      <header className="station-screen__header">
        <div className="station-screen__title">
          <span className="station-screen__app">{t('app.title')}</span>
          {status && (
            <span className="station-screen__station" data-testid="station-name">
              {t('stats.station')}: {status.station}
            </span>
          )}
        </div>
        <LanguageSwitch />
      </header>
      <main className="station-screen__body">
        <LivePreview offline={offline} />
        <aside className="station-screen__side">
          <RecordingIndicator recording={alarm === null} />
          <StatusPanel status={status} lastKnownAt={alarm !== null && alarm !== 'camera-not-recording' ? lastOkAt : null} />
        </aside>
      </main>
    </div>
  );
}
