import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { isViewer, useSession } from '../features/auth/session-store';
import { HEALTH_HASH, lastLibraryHash, SETTINGS_HASH, STATION_HASH, STATIONS_HASH, STATS_HASH, USERS_HASH } from './routing';

/**
 * The switch between the station screen and the clip library, in both views' headers. A viewer has
 * only the library, and a way to log out instead.
 */
export function ViewNav({ current }: { current: 'station' | 'library' | 'settings' | 'health' | 'stations' | 'stats' | 'users' }) {
  const { t } = useTranslation();
  const session = useSession((s) => s.session);
  const viewer = isViewer(session);
  // Warehouse hub: the library, the stations and the statistics over them; no station screen, settings or health page.
  if (session?.hub) {
    return (
      <nav className="view-nav" aria-label={t('nav.label')} data-testid="view-nav">
        <a href={lastLibraryHash()} className="view-nav__link" aria-current={current === 'library' ? 'page' : undefined} data-testid="nav-library">
          {t('nav.library')}
        </a>
        <a href={STATIONS_HASH} className="view-nav__link" aria-current={current === 'stations' ? 'page' : undefined} data-testid="nav-stations">
          {t('hub.stations')}
        </a>
        <a href={STATS_HASH} className="view-nav__link" aria-current={current === 'stats' ? 'page' : undefined} data-testid="nav-stats">
          {t('nav.stats')}
        </a>
        {session.firstAdmin && (
          <a href={USERS_HASH} className="view-nav__link" aria-current={current === 'users' ? 'page' : undefined} data-testid="nav-first-admin">
            {t('users.firstTitle')}
          </a>
        )}
        {session.user?.role === 'admin' && (
          <a href={USERS_HASH} className="view-nav__link" aria-current={current === 'users' ? 'page' : undefined} data-testid="nav-users">
            {t('users.title')}
          </a>
        )}
        {session.user && (
          <>
            <span className="view-nav__user" data-testid="hub-user" title={t(`users.roles.${session.user.role}`)}>
              {session.user.name}
            </span>
            <button type="button" className="toolbar-button" data-testid="logout" onClick={() => void api.logout().finally(() => window.location.reload())}>
              {t('login.logout')}
            </button>
          </>
        )}
      </nav>
    );
  }
  if (viewer) {
    return (
      <nav className="view-nav" aria-label={t('nav.label')} data-testid="view-nav">
        <HealthLink current={current} />
        <button type="button" className="toolbar-button" data-testid="logout" onClick={() => void api.logout().finally(() => window.location.reload())}>
          {t('login.logout')}
        </button>
      </nav>
    );
  }
  return (
    <nav className="view-nav" aria-label={t('nav.label')} data-testid="view-nav">
      <a href={STATION_HASH} className="view-nav__link" aria-current={current === 'station' ? 'page' : undefined} data-testid="nav-station">
        {t('nav.station')}
      </a>
      <a href={lastLibraryHash()} className="view-nav__link" aria-current={current === 'library' ? 'page' : undefined} data-testid="nav-library">
        {t('nav.library')}
      </a>
      <a href={SETTINGS_HASH} className="view-nav__link" aria-current={current === 'settings' ? 'page' : undefined} data-testid="nav-settings">
        {t('nav.settings')}
      </a>
      <a href={STATS_HASH} className="view-nav__link" aria-current={current === 'stats' ? 'page' : undefined} data-testid="nav-stats">
        {t('nav.stats')}
      </a>
      <HealthLink current={current} />
    </nav>
  );
}

function HealthLink({ current }: { current: 'station' | 'library' | 'settings' | 'health' | 'stations' | 'stats' | 'users' }) {
  const { t } = useTranslation();
  return (
    <a href={HEALTH_HASH} className="view-nav__link" aria-current={current === 'health' ? 'page' : undefined} data-testid="nav-health">
      {t('nav.health')}
    </a>
  );
}
