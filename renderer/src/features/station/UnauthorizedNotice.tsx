import { useTranslation } from 'react-i18next';
import { currentLanguage, otherLanguage } from '../../i18n';

/** Shown instead of the screen when the station rejects us; in both languages, like the alarm. */
export function UnauthorizedNotice() {
  const { t, i18n } = useTranslation();
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
