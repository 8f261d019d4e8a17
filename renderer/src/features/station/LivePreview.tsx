import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { routes } from '../../../../shared/api';

const RETRY_MS = 2_000;

/**
 * The camera's live picture: multipart MJPEG, which <img> plays natively and which the session
 * cookie authenticates (an <img> cannot send headers).
 *
 * `offline`: the station is not answering. The image is taken down then, because a dead stream
 * leaves its last frame on screen, which looks exactly like a quiet but working camera.
 */
export function LivePreview({ offline }: { offline: boolean }) {
  const { t } = useTranslation();
  const [attempt, setAttempt] = useState(0);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!failed) return;
    const id = setTimeout(() => {
      setFailed(false);
      setAttempt((a) => a + 1);
    }, RETRY_MS);
    return () => clearTimeout(id);
  }, [failed]);

  // Back online: open a new stream rather than trust the old one to have survived.
  const wasOffline = useRef(offline);
  useEffect(() => {
    if (wasOffline.current && !offline) setAttempt((a) => a + 1);
    wasOffline.current = offline;
  }, [offline]);

  const showImage = !failed && !offline;
  // A new URL per attempt, so the browser opens a new connection instead of reusing a failed result.
  const src = `${routes.preview}?attempt=${attempt}`;
  return (
    <div className="live-preview">
      {showImage ? (
        <img key={attempt} src={src} alt={t('preview.alt')} data-testid="live-preview" onError={() => setFailed(true)} />
      ) : (
        <div className="live-preview__placeholder" data-testid="live-preview-placeholder">
          {t('preview.unavailable')}
        </div>
      )}
    </div>
  );
}
