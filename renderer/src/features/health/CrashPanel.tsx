/**
 * Crashes: what `<data>/logs/crash.log` holds, for support on the phone: how many, the
 * newest few with their stacks, where the file is on this PC, and the JSON for copying whole.
 * Operator-only like its route: a viewer's request is refused (403) and the panel is not shown.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { routes, type CrashLogResponse } from '../../../../shared/api';
import { api, ApiError } from '../../api/client';
import { formatDateTime } from '../library/format';

/** Enough to see a pattern; the JSON link has up to 50. */
const SHOWN = 5;

export function CrashPanel() {
  const { t, i18n } = useTranslation();
  const [log, setLog] = useState<CrashLogResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [forbidden, setForbidden] = useState(false);

  useEffect(() => {
    let live = true;
    api.crashLog(SHOWN).then(
      (v) => live && setLog(v),
      (err: unknown) => {
        if (!live) return;
        if (err instanceof ApiError && (err.status === 403 || err.kind === 'unauthorized')) setForbidden(true);
        else setError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      live = false;
    };
  }, []);

  if (forbidden || (!log && !error)) return null;
  return (
    <section className="health__errors health__crashes" data-testid="crash-panel">
      <h2>{t('crashes.title')}</h2>
      {error ? (
        <p role="alert">{t('crashes.error', { message: error })}</p>
      ) : (
        log && (
          <>
            <p data-testid="crash-count" data-count={log.total}>
              {log.total === 0 ? t('crashes.none') : t('crashes.count', { count: log.total })}
            </p>
            {log.entries.length > 0 && (
              <ol data-testid="crash-entries">
                {log.entries.map((e, i) => (
                  <li key={`${e.at}-${i}`} data-testid="crash-entry">
                    <time dateTime={e.at}>{formatDateTime(e.at, i18n.language)}</time> <span className="health__level">{e.source}</span> {e.message}
                    {e.stack && (
                      <details>
                        <summary>{t('crashes.stack')}</summary>
                        <pre className="health__stack">{e.stack}</pre>
                      </details>
                    )}
                  </li>
                ))}
              </ol>
            )}
            <p>
              {t('crashes.file')} <code data-testid="crash-file">{log.file}</code>
            </p>
            <p>
              <a href={routes.crashLog} target="_blank" rel="noopener noreferrer" data-testid="crash-json-link">
                {t('crashes.open')}
              </a>
            </p>
          </>
        )
      )}
    </section>
  );
}
