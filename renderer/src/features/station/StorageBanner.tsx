import { useTranslation } from 'react-i18next';
import type { StatusResponse } from '../../../../shared/api';

/**
 * Retention cannot keep the disk above its limit because protected clips alone fill it (issue 6):
 * loud on the station and library screens until someone frees space or unprotects clips.
 */
export function StorageBanner({ status }: { status: StatusResponse | null }) {
  const { t } = useTranslation();
  if (status?.storage?.retention !== 'protected-only') return null;
  return (
    <div className="storage-banner" role="alert" data-testid="storage-banner">
      {t('storage.protectedOnly')}
    </div>
  );
}
