/**
 * Storage folder move: the settings screen's storage card. The station checks the new
 * folder and answers at once; then it copies the footage while recording goes on (this screen shows
 * that copy's progress), stops, moves the rest and starts again on the same address, so this screen
 * polls until it answers and shows where the data is now, or the one sentence the failed move left
 * (the station then records on its old folder).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MoveCopying, SettingsInfo } from '../../../../shared/api';
import { api } from '../../api/client';
import { shell } from '../../app/shell';
import { currentLanguage } from '../../i18n';
import { messageText } from '../../i18n/refusal-text';
import { Field, SectionCard } from './SettingsCard';

/** Polling while the station is down for the move: often enough to feel immediate, cheap when refused. */
const POLL_MS = 1_000;

/** While moving: the copy's progress while the station answers (`copying`), or `down` once it stopped for the last step. */
type Moving = { kind: 'moving'; to: string; requestedAt: string; copying: MoveCopying | null; down: boolean };
type MoveState = { kind: 'idle' } | { kind: 'confirming' } | { kind: 'sending' } | Moving | { kind: 'refused'; message: string };

export function StorageMoveSection({ info, onInfo }: { info: SettingsInfo | null; onInfo: (i: SettingsInfo) => void }) {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const [state, setState] = useState<MoveState>({ kind: 'idle' });
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => void (alive.current = false);
  }, []);

  const movingKey = state.kind === 'moving' ? state.requestedAt : null;
  useEffect(() => {
    if (movingKey === null) return;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      // Refused or timed out while the station is down: keep asking.
      const i = await api.settingsInfo().catch(() => null);
      if (!alive.current) return;
      if (i && i.lastMove?.requestedAt === movingKey) {
        onInfo(i);
        setState({ kind: 'idle' });
        if (i.lastMove.state === 'done') setTo('');
        return;
      }
      setState((s) => (s.kind === 'moving' && s.requestedAt === movingKey ? { ...s, copying: i?.move?.requestedAt === movingKey ? i.move : s.copying, down: i === null } : s));
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    timer = setTimeout(() => void poll(), POLL_MS);
    return () => clearTimeout(timer);
  }, [movingKey, onInfo]);

  const send = async () => {
    setState({ kind: 'sending' });
    try {
      const a = await api.moveStorage(to.trim());
      setState({ kind: 'moving', to: a.to, requestedAt: a.requestedAt, copying: null, down: false });
    } catch (err) {
      setState({ kind: 'refused', message: (err as Error).message });
    }
  };

  const last = info?.lastMove ?? null;
  const busy = state.kind === 'sending' || state.kind === 'moving';
  return (
    <SectionCard id="storage" title={t('settings.storage.title')}>
      <p className="settings__note">{t('settings.storage.folder')}</p>
      <code className="settings__path" data-testid="settings-data-dir">
        {info?.dataDir ?? '…'}
      </code>
      {state.kind === 'moving' ? (
        <MovingNote moving={state} />
      ) : (
        <>
          <Field label={t('settings.storage.newFolder')} error={state.kind === 'refused' ? state.message : undefined} testId="storage-move">
            <input
              className="field-input"
              data-testid="storage-move-to"
              value={to}
              placeholder={t('settings.storage.placeholder')}
              disabled={busy}
              onChange={(e) => {
                setTo(e.target.value);
                if (state.kind === 'refused' || state.kind === 'confirming') setState({ kind: 'idle' });
              }}
            />
          </Field>
          {shell?.pickFolder && state.kind !== 'confirming' && (
            <div className="settings-card__actions">
              <button
                type="button"
                data-testid="storage-pick"
                disabled={busy}
                onClick={() =>
                  void shell!.pickFolder!().then((picked) => {
                    if (!picked || !alive.current) return;
                    setTo(picked);
                    setState({ kind: 'idle' });
                  })
                }
              >
                {t('settings.storage.pick')}
              </button>
            </div>
          )}
          {state.kind === 'confirming' ? (
            <div className="settings-card__actions" role="alertdialog" aria-labelledby="storage-confirm-text">
              <p id="storage-confirm-text" className="settings__note settings__note--warn" data-testid="storage-move-confirm-text">
                {t('settings.storage.confirm', { to: to.trim() })}
              </p>
              <button type="button" className="settings__save" data-testid="storage-move-confirm" onClick={() => void send()}>
                {t('settings.storage.confirmMove')}
              </button>
              <button type="button" data-testid="storage-move-cancel" onClick={() => setState({ kind: 'idle' })}>
                {t('settings.storage.cancel')}
              </button>
            </div>
          ) : (
            <div className="settings-card__actions">
              <button type="button" className="settings__save" data-testid="storage-move" disabled={busy || to.trim() === ''} onClick={() => setState({ kind: 'confirming' })}>
                {state.kind === 'sending' ? t('settings.storage.checking') : t('settings.storage.move')}
              </button>
            </div>
          )}
        </>
      )}
      {last && state.kind !== 'moving' && (
        <p
          className={last.state === 'done' ? 'settings__note' : 'settings__error'}
          role={last.state === 'failed' ? 'alert' : undefined}
          data-testid="storage-last-move"
          data-state={last.state}
        >
          {last.state === 'done'
            ? t('settings.storage.moved', { to: last.to, files: last.files, mb: (last.bytes / 1e6).toFixed(1), at: new Date(last.at).toLocaleString() })
            : t('settings.storage.failed', { to: last.to, error: messageText(last.errorMessage, currentLanguage(), last.error) })}
        </p>
      )}
    </SectionCard>
  );
}

function MovingNote({ moving }: { moving: Moving }) {
  const { t } = useTranslation();
  const c = moving.copying;
  const phase = moving.down ? 'paused' : c ? 'copying' : 'starting';
  const mb = (n: number) => (n / 1e6).toFixed(1);
  return (
    <div className="settings__note settings__note--warn export-progress" role="status" data-testid="storage-moving" data-phase={phase}>
      {phase === 'paused' && t('settings.storage.moving', { to: moving.to })}
      {phase === 'starting' && t('settings.storage.starting', { to: moving.to })}
      {phase === 'copying' && c && (
        <>
          <span data-testid="storage-copying">{t('settings.storage.copying', { to: moving.to, done: mb(c.bytesDone), total: mb(c.bytesTotal), files: c.filesDone, filesTotal: c.filesTotal })}</span>
          <progress max={Math.max(c.bytesTotal, 1)} value={c.bytesDone} />
        </>
      )}
    </div>
  );
}
