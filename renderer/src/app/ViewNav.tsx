import { useTranslation } from 'react-i18next';
import { lastLibraryHash, STATION_HASH } from './routing';

/** The switch between the station screen and the clip library, in both views' headers. */
export function ViewNav({ current }: { current: 'station' | 'library' }) {
  const { t } = useTranslation();
  return (
    <nav className="view-nav" aria-label={t('nav.label')} data-testid="view-nav">
      <a href={STATION_HASH} className="view-nav__link" aria-current={current === 'station' ? 'page' : undefined} data-testid="nav-station">
        {t('nav.station')}
      </a>
      <a href={lastLibraryHash()} className="view-nav__link" aria-current={current === 'library' ? 'page' : undefined} data-testid="nav-library">
        {t('nav.library')}
      </a>
    </nav>
  );
}
