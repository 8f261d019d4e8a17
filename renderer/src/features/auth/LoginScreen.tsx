import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { LanguageSwitch } from '../../i18n/LanguageSwitch';

/**
 * The viewer's password form (LAN mode), shown instead of a screen the station refused. After the
 * login the page reloads, so every screen starts over with the new session cookie.
 */
export function LoginScreen() {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!password || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.login(password);
      window.location.reload();
    } catch (err) {
      setBusy(false);
      setPassword('');
      if (err instanceof ApiError && err.status === 401) setError(t('login.wrong'));
      else if (err instanceof ApiError && err.status === 429) setError(t('login.tooMany'));
      else setError(t('login.failed', { message: err instanceof Error ? err.message : String(err) }));
    }
  }

  return (
    <main className="login" data-testid="login">
      <div className="login__tools">
        <LanguageSwitch />
      </div>
      <h1>{t('login.title')}</h1>
      <p className="login__detail">{t('login.detail')}</p>
      <form className="login__form" onSubmit={(e) => void submit(e)}>
        <label className="login__label" htmlFor="login-password">
          {t('login.password')}
        </label>
        <input
          id="login-password"
          type="password"
          className="field-input login__input"
          data-testid="login-password"
          autoComplete="current-password"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="button button--primary" data-testid="login-submit" disabled={busy || !password}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
      {error && (
        <p className="login__error" role="alert" data-testid="login-error">
          {error}
        </p>
      )}
    </main>
  );
}
