import { useTranslation } from 'react-i18next';
import type { StatusResponse } from '../../../../shared/api';

/**
 * Retention cannot keep the disk above its limit because protected clips alone fill it, or they and
 * clips whose hub copy is not confirmed yet: loud on the station and library screens until someone
 * frees space, unprotects clips or brings the hub back.
 */
export function StorageBanner({ status }: { status: StatusResponse | null }) {
  const { t } = useTranslation();
  const state = status?.storage?.retention;
  if (state !== 'protected-only' && state !== 'awaiting-hub') return null;
  return (
    <div className="storage-banner" role="alert" data-testid="storage-banner">
      {t(state === 'awaiting-hub' ? 'storage.awaitingHub' : 'storage.protectedOnly')}
    </div>
  );
}
