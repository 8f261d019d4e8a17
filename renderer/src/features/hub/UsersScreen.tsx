import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { HUB_PASSWORD_MIN, type HubUser, type HubUserChange, type HubUserRole } from '../../../../shared/api';
import { api, ApiError } from '../../api/client';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../library/format';
import { LibraryLayout } from '../library/LibraryLayout';

/**
 * The hub's office accounts (admins only): list, add, disable or enable, reset a password. The hub
 * refuses to demote or disable its last admin and says so; that sentence is shown as it comes.
 * Names are rendered as text, never as markup.
 */
export function UsersScreen() {
  const { t } = useTranslation();
  const [users, setUsers] = useState<HubUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [unauthorized, setUnauthorized] = useState(false);
  const [name, setName] = useState('');
  const [role, setRole] = useState<HubUserRole>('service');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);

  const fail = useCallback((err: unknown) => {
    if (err instanceof ApiError && err.status === 401) setUnauthorized(true);
    else setError(err instanceof ApiError && err.status === 403 ? t('users.adminsOnly') : err instanceof Error ? err.message : String(err));
  }, [t]);
  const load = useCallback(async () => {
    try {
      setUsers((await api.hubUsers()).users);
    } catch (err) {
      fail(err);
    }
  }, [fail]);
  useEffect(() => void load(), [load]);

  async function add(e: FormEvent) {
    e.preventDefault();
    if (busy || !name.trim() || password.length < HUB_PASSWORD_MIN) return;
    setBusy(true);
    setError(null);
    try {
      await api.hubAddUser({ name: name.trim(), role, password });
      setName('');
      setPassword('');
      await load();
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  async function change(u: HubUser, c: HubUserChange) {
    setError(null);
    try {
      await api.hubChangeUser(u.id, c);
      await load();
    } catch (err) {
      fail(err);
    }
  }

  function resetPassword(u: HubUser) {
    const pw = window.prompt(t('users.newPasswordFor', { name: u.name, n: HUB_PASSWORD_MIN }));
    if (pw === null) return;
    if (pw.length < HUB_PASSWORD_MIN) return setError(t('users.tooShort', { n: HUB_PASSWORD_MIN }));
    void change(u, { password: pw });
  }

  return (
    <LibraryLayout current="users" title={t('users.title')} unauthorized={unauthorized}>
      <section className="hub-users" data-testid="users">
        {error && (
          <p className="login__error" role="alert" data-testid="users-error">
            {error}
          </p>
        )}
        <table className="stations-table" data-testid="users-table">
          <thead>
            <tr>
              <th>{t('login.name')}</th>
              <th>{t('users.role')}</th>
              <th>{t('users.created')}</th>
              <th>{t('users.state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(users ?? []).map((u) => (
              <tr key={u.id} data-testid="user-row" data-name={u.name}>
                <td>{u.name}</td>
                <td>{t(`users.roles.${u.role}`)}</td>
                <td>{formatDateTime(u.createdAt, currentLanguage())}</td>
                <td>{u.disabled ? t('users.disabled') : t('users.active')}</td>
                <td>
                  <button type="button" className="toolbar-button" data-testid="user-toggle" onClick={() => void change(u, { disabled: !u.disabled })}>
                    {u.disabled ? t('users.enable') : t('users.disable')}
                  </button>{' '}
                  <button type="button" className="toolbar-button" data-testid="user-role" onClick={() => void change(u, { role: u.role === 'admin' ? 'service' : 'admin' })}>
                    {u.role === 'admin' ? t('users.makeService') : t('users.makeAdmin')}
                  </button>{' '}
                  <button type="button" className="toolbar-button" data-testid="user-reset" onClick={() => resetPassword(u)}>
                    {t('users.reset')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{t('users.add')}</h2>
        <form className="login__form" onSubmit={(e) => void add(e)} data-testid="user-add">
          <label className="login__label" htmlFor="user-name">
            {t('login.name')}
          </label>
          <input id="user-name" className="field-input" data-testid="user-name" maxLength={64} value={name} onChange={(e) => setName(e.target.value)} />
          <label className="login__label" htmlFor="user-role">
            {t('users.role')}
          </label>
          <select id="user-role" className="field-input" data-testid="user-role-select" value={role} onChange={(e) => setRole(e.target.value as HubUserRole)}>
            <option value="service">{t('users.roles.service')}</option>
            <option value="admin">{t('users.roles.admin')}</option>
          </select>
          <label className="login__label" htmlFor="user-password">
            {t('login.hubPassword')}
          </label>
          <input id="user-password" type="password" className="field-input" data-testid="user-password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          {password.length > 0 && password.length < HUB_PASSWORD_MIN && <p className="login__detail">{t('users.tooShort', { n: HUB_PASSWORD_MIN })}</p>}
          <button type="submit" className="button button--primary" data-testid="user-add-submit" disabled={busy || !name.trim() || password.length < HUB_PASSWORD_MIN}>
            {t('users.add')}
          </button>
        </form>
      </section>
    </LibraryLayout>
  );
}
