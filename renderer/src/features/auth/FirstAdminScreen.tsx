import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { HUB_PASSWORD_MIN } from '../../../../shared/api';
import { api, ApiError } from '../../api/client';
import { LanguageSwitch } from '../../i18n/LanguageSwitch';

/**
 * A new hub has no accounts: whoever opened its READY link makes the first admin here. The hub
 * accepts this once; afterwards the link no longer signs anyone in and people log in by name.
 */
export function FirstAdminScreen() {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem = password.length > 0 && password.length < HUB_PASSWORD_MIN ? t('users.tooShort', { n: HUB_PASSWORD_MIN }) : again && again !== password ? t('users.mismatch') : null;
  const ready = name.trim() !== '' && password.length >= HUB_PASSWORD_MIN && again === password;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!ready || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.hubFirstAdmin(name.trim(), password);
      window.location.reload();
    } catch (err) {
      setBusy(false);
      setError(err instanceof ApiError && err.status === 401 ? t('users.linkNeeded') : err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <main className="login" data-testid="first-admin">
      <div className="login__tools">
        <LanguageSwitch />
      </div>
      <h1>{t('users.firstTitle')}</h1>
      <p className="login__detail">{t('users.firstDetail')}</p>
      <form className="login__form" onSubmit={(e) => void submit(e)}>
        <label className="login__label" htmlFor="first-name">
          {t('login.name')}
        </label>
        <input id="first-name" className="field-input login__input" data-testid="first-admin-name" autoComplete="username" autoFocus maxLength={64} value={name} onChange={(e) => setName(e.target.value)} />
        <label className="login__label" htmlFor="first-password">
          {t('login.hubPassword')}
        </label>
        <input id="first-password" type="password" className="field-input login__input" data-testid="first-admin-password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <label className="login__label" htmlFor="first-again">
          {t('users.again')}
        </label>
        <input id="first-again" type="password" className="field-input login__input" data-testid="first-admin-again" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
        <button type="submit" className="button button--primary" data-testid="first-admin-submit" disabled={busy || !ready}>
          {t('users.create')}
        </button>
      </form>
      {(problem || error) && (
        <p className="login__error" role="alert" data-testid="first-admin-error">
          {error ?? problem}
        </p>
      )}
    </main>
  );
}
