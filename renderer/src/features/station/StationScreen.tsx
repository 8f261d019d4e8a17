import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ViewNav } from '../../app/ViewNav';
import { LanguageSwitch } from '../../i18n/LanguageSwitch';
import { ActiveClipBand } from './ActiveClipBand';
import { CommandSheet } from './CommandSheet';
import { LivePreviews } from './LivePreview';
import { ManualEntry } from './ManualEntry';
import { NotRecordingBanner } from './NotRecordingBanner';
import { RecentScans } from './RecentScans';
import { RecordingIndicator } from './RecordingIndicator';
import { ScanFlash } from './ScanFlash';
import { SignedInPacker } from './SignedInPacker';
import { useScanStore } from './scan-store';
import { prepareAudio } from './sounds';
import { SoundToggle } from './SoundToggle';
import { alarmOf, isOffline, useStationStore } from './station-store';
import { StatusPanel } from './StatusPanel';
import { StorageBanner } from './StorageBanner';
import { UnauthorizedNotice } from './UnauthorizedNotice';
import { useNow } from './use-now';
import { useWedgeScanner } from './use-wedge-scanner';

/** Often enough that staleness shows within a second of the limit, and the clip timer ticks smoothly. */
const CLOCK_TICK_MS = 500;

export function StationScreen() {
  const { t } = useTranslation();
  const startPolling = useStationStore((s) => s.startPolling);
  const status = useStationStore((s) => s.status);
  const error = useStationStore((s) => s.error);
  const lastOkAt = useStationStore((s) => s.lastOkAt);
  const submitScan = useScanStore((s) => s.submit);
  const refreshRecent = useScanStore((s) => s.refreshRecent);
  const now = useNow(CLOCK_TICK_MS);
  const [sheetOpen, setSheetOpen] = useState(false);

  useEffect(() => startPolling(), [startPolling]);
  useEffect(() => {
    const id = setTimeout(prepareAudio, 0);
    return () => clearTimeout(id);
  }, []);

  // The scan log changed (a scan from this screen, another client, or the maximum-length timer).
  const lastScanId = status?.lastScanId;
  useEffect(() => {
    if (lastScanId !== undefined) void refreshRecent();
  }, [lastScanId, refreshRecent]);

  useWedgeScanner(useCallback((scan) => void submitScan(scan.code), [submitScan]));
  const onManual = useCallback((code: string) => void submitScan(code), [submitScan]);
  const closeSheet = useCallback(() => setSheetOpen(false), []);

  // The indicator and the banner come from the same value, so they can never disagree.
  const alarm = alarmOf({ status, error, lastOkAt }, now);
  if (alarm === 'unauthorized') return <UnauthorizedNotice />;
  const offline = isOffline({ error, lastOkAt }, now);
  // The station's clock minus ours at the last poll: the clip timer runs on the station's clock.
  const clockOffsetMs = status && lastOkAt !== null ? Date.parse(status.now) - lastOkAt : 0;

  return (
    <div className="station-screen" data-sheet-open={String(sheetOpen)}>
      {alarm && <NotRecordingBanner alarm={alarm} />}
      <StorageBanner status={status} />
      <header className="station-screen__header">
        <div className="station-screen__title">
          <span className="station-screen__app">{t('app.title')}</span>
          {status && (
            <span className="station-screen__station" data-testid="station-name">
              {t('stats.station')}: {status.station}
            </span>
          )}
        </div>
        <div className="station-screen__tools">
          <ViewNav current="station" />
          <SoundToggle />
          <button type="button" className="toolbar-button" data-testid="open-command-sheet" onClick={() => setSheetOpen(true)}>
            {t('commandSheet.open')}
          </button>
          <LanguageSwitch />
        </div>
      </header>
      <ActiveClipBand status={status} now={now} clockOffsetMs={clockOffsetMs} />
      <main className="station-screen__body">
        <div className="station-screen__main">
          <LivePreviews offline={offline} status={status} />
          <StatusPanel status={status} lastKnownAt={alarm !== null && alarm !== 'camera-not-recording' && alarm !== 'disk-full' ? lastOkAt : null} />
        </div>
        <aside className="station-screen__side">
          <SignedInPacker status={status} />
          <RecordingIndicator recording={alarm === null} clipOpen={status?.activeClipId != null} />
          <RecentScans />
        </aside>
        <ScanFlash />
      </main>
      <footer className="station-screen__footer">
        <ManualEntry onSubmit={onManual} />
      </footer>
      {sheetOpen && <CommandSheet onClose={closeSheet} />}
    </div>
  );
}
