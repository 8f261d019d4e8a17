import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { LanguageSwitch } from '../../i18n/LanguageSwitch';
import { useSession } from './session-store';

/**
 * The viewer's password form (LAN mode), shown instead of a screen the station refused; on the hub,
 * an office account's name and password. After the login the page reloads, so every screen starts
 * over with the new session cookie.
 */
export function LoginScreen() {
  const { t } = useTranslation();
  const hub = useSession((s) => s.session?.hub === true);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!password || busy || (hub && !name.trim())) return;
    setBusy(true);
    setError(null);
    try {
      if (hub) await api.hubLogin(name.trim(), password);
      else await api.login(password);
      window.location.reload();
    } catch (err) {
      setBusy(false);
      setPassword('');
      if (err instanceof ApiError && err.status === 401) setError(t(hub ? 'login.hubWrong' : 'login.wrong'));
      else if (err instanceof ApiError && err.status === 429) setError(t('login.tooMany'));
      else setError(t('login.failed', { message: err instanceof Error ? err.message : String(err) }));
    }
  }

  return (
    <main className="login" data-testid="login">
      <div className="login__tools">
        <LanguageSwitch />
      </div>
      <h1>{t(hub ? 'login.hubTitle' : 'login.title')}</h1>
      <p className="login__detail">{t(hub ? 'login.hubDetail' : 'login.detail')}</p>
      <form className="login__form" onSubmit={(e) => void submit(e)}>
        {hub && (
          <>
            <label className="login__label" htmlFor="login-name">
              {t('login.name')}
            </label>
            <input
              id="login-name"
              className="field-input login__input"
              data-testid="login-name"
              autoComplete="username"
              autoFocus
              maxLength={64}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </>
        )}
        <label className="login__label" htmlFor="login-password">
          {t(hub ? 'login.hubPassword' : 'login.password')}
        </label>
        <input
          id="login-password"
          type="password"
          className="field-input login__input"
          data-testid="login-password"
          autoComplete="current-password"
          autoFocus={!hub}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="button button--primary" data-testid="login-submit" disabled={busy || !password || (hub && !name.trim())}>
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
