import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { STATION_HASH } from '../../app/routing';
import { ViewNav } from '../../app/ViewNav';
import { LanguageSwitch } from '../../i18n/LanguageSwitch';
import { BenchScanner } from '../station/BenchScanner';
import { alarmOf, useStationStore } from '../station/station-store';
import { useSession } from '../auth/session-store';
import { StorageBanner } from '../station/StorageBanner';
import { UnauthorizedNotice } from '../station/UnauthorizedNotice';
import { useNow } from '../station/use-now';
import { OPERATOR_MAX_LENGTH, useOperator } from './operator';

/**
 * The frame of the library's pages: its own header (normal office type, not the station's giant
 * one) with the view switch, whether the station is still recording, the operator's name for the
 * audit log, and the language.
 */
export function LibraryLayout({
  children,
  unauthorized = false,
  current = 'library',
  title,
}: {
  children: ReactNode;
  unauthorized?: boolean;
  /** The settings screen shares this frame. */
  current?: 'library' | 'settings' | 'health' | 'stations' | 'stats' | 'users';
  title?: string;
}) {
  const { t } = useTranslation();
  const startPolling = useStationStore((s) => s.startPolling);
  const status = useStationStore((s) => s.status);
  const error = useStationStore((s) => s.error);
  const lastOkAt = useStationStore((s) => s.lastOkAt);
  const now = useNow(1_000);
  // Warehouse hub: no station behind this page, so no station status, pill or bench scanner.
  const hub = useSession((s) => s.session?.hub === true);
  useEffect(() => (hub ? undefined : startPolling()), [startPolling, hub]);

  const alarm = alarmOf({ status, error, lastOkAt }, now);
  if (unauthorized || (!hub && alarm === 'unauthorized')) return <UnauthorizedNotice />;

  return (
    <div className="library">
      {!hub && <StorageBanner status={status} />}
      <header className="library__header">
        <div className="library__brand">
          <span className="library__app">{t('app.title')}</span>
          <span className="library__title">{title ?? t('library.title')}</span>
        </div>
        <ViewNav current={current} />
        {/* A station PC left on the library still records; this says so, and links back. */}
        {!hub && (
        <a
          href={STATION_HASH}
          className="station-pill"
          data-recording={String(alarm === null)}
          data-testid="station-pill"
          title={status ? `${t('stats.station')}: ${status.station}` : undefined}
        >
          <span className="station-pill__dot" aria-hidden="true" />
          {alarm === null ? t('library.stationRecording') : t('library.stationNotRecording')}
        </a>
        )}
        <div className="library__tools">
          <OperatorField />
          <LanguageSwitch />
        </div>
      </header>
      <div className="library__body">{children}</div>
      {!hub && <BenchScanner />}
    </div>
  );
}

function OperatorField() {
  const { t } = useTranslation();
  const name = useOperator((s) => s.name);
  const setName = useOperator((s) => s.setName);
  return (
    <label className="operator-field" title={t('library.operatorHelp')}>
      <span className="operator-field__label">{t('library.operatorLabel')}</span>
      <input
        type="text"
        className="field-input operator-field__input"
        data-testid="operator-name"
        value={name}
        maxLength={OPERATOR_MAX_LENGTH}
        placeholder={t('library.operatorPlaceholder')}
        autoComplete="name"
        onChange={(e) => setName(e.target.value)}
      />
    </label>
  );
}
