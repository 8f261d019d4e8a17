import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, otherLanguage } from '../../i18n';
import { LoginScreen } from '../auth/LoginScreen';
import { useSession } from '../auth/session-store';

/**
 * Shown instead of the screen when the station rejects us. A station shared on the network (LAN
 * mode) has a viewer login: then the password form. Otherwise only the READY link helps; that notice
 * is in both languages, like the alarm.
 */
export function UnauthorizedNotice() {
  const { t, i18n } = useTranslation();
  const session = useSession((s) => s.session);
  const loaded = useSession((s) => s.loaded);
  const load = useSession((s) => s.load);
  // Asked again: the session known from the start may have expired since.
  useEffect(() => void load(), [load]);
  if (session?.viewerLogin) return <LoginScreen />;
  // Neither text until the station has said whether a login exists: no flash of the wrong one.
  if (!loaded) return null;

  const other = otherLanguage(currentLanguage());
  const tOther = i18n.getFixedT(other);
  return (
    <main className="unauthorized" role="alert" data-testid="unauthorized">
      <h1>{t('auth.title')}</h1>
      <p>{t('auth.detail')}</p>
      <h2 lang={other}>{tOther('auth.title')}</h2>
      <p lang={other}>{tOther('auth.detail')}</p>
    </main>
  );
}
