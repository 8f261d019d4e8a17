import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { routes, type CameraStatus, type StatusResponse } from '../../../../shared/api';

const RETRY_MS = 2_000;

const subscribeVisibility = (onChange: () => void): (() => void) => {
  document.addEventListener('visibilitychange', onChange);
  return () => document.removeEventListener('visibilitychange', onChange);
};

/**
 * Whether the page can be seen: false in a hidden browser tab and in the desktop app's window while
 * it is minimised or hidden (Electron reports that through the same visibility state). The preview
 * streams close then: the station makes a camera's preview only while someone watches.
 */
export function usePageVisible(): boolean {
  return useSyncExternalStore(subscribeVisibility, () => document.visibilityState !== 'hidden');
}

/**
 * One camera's live picture: multipart MJPEG, which <img> plays natively and which the session
 * cookie authenticates (an <img> cannot send headers). `camera`: another camera's id; the main
 * camera without it.
 *
 * `offline`: the station is not answering. The image is taken down then, because a dead stream
 * leaves its last frame on screen, which looks exactly like a quiet but working camera. While the
 * page is hidden there is no image either, so no stream is open.
 */
export function LivePreview({ offline, camera, name }: { offline: boolean; camera?: string; name?: string }) {
  const { t } = useTranslation();
  const visible = usePageVisible();
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

  // Back online or shown again: open a new stream rather than trust the old one to have survived.
  const wasAway = useRef(offline || !visible);
  useEffect(() => {
    const away = offline || !visible;
    if (wasAway.current && !away) setAttempt((a) => a + 1);
    wasAway.current = away;
  }, [offline, visible]);

  const showImage = !failed && !offline && visible;
  // A new URL per attempt, so the browser opens a new connection instead of reusing a failed result.
  const query = new URLSearchParams({ ...(camera === undefined ? {} : { camera }), attempt: String(attempt) });
  const src = `${routes.preview}?${query.toString()}`;
  const alt = name === undefined ? t('preview.alt') : t('preview.cameraAlt', { name });
  return (
    <div className="live-preview" data-camera={camera ?? 'main'}>
      {showImage ? (
        <StreamImage key={attempt} src={src} alt={alt} onError={() => setFailed(true)} />
      ) : (
        <div className="live-preview__placeholder" data-testid="live-preview-placeholder">
          {visible ? t('preview.unavailable') : t('preview.paused')}
        </div>
      )}
      {name !== undefined && (
        <span className="live-preview__name" data-testid="live-preview-name">
          {name}
        </span>
      )}
    </div>
  );
}

/**
 * An <img> playing an MJPEG stream. Chromium keeps loading a multipart image after its element is
 * removed, so the stream (and the station's preview of that camera) would outlive the picture: the
 * source is emptied as the element goes, which ends the request.
 */
function StreamImage({ src, alt, onError }: { src: string; alt: string; onError: () => void }) {
  const ref = useRef<HTMLImageElement>(null);
  // Emptying the source fires the image's error event: that one is not a failed stream.
  const gone = useRef(false);
  useLayoutEffect(() => {
    const img = ref.current;
    return () => {
      gone.current = true;
      if (img) img.src = '';
    };
  }, []);
  return <img ref={ref} src={src} alt={alt} data-testid="live-preview" onError={() => !gone.current && onError()} />;
}

/** The other cameras of the station (all but the main one), as the status lists them. */
export function otherCameras(status: StatusResponse | null): CameraStatus[] {
  return status?.cameras?.slice(1) ?? [];
}

/** Every camera's live picture: the main camera large, the others small beside it. */
export function LivePreviews({ offline, status }: { offline: boolean; status: StatusResponse | null }) {
  const others = otherCameras(status);
  if (others.length === 0) return <LivePreview offline={offline} />;
  return (
    <div className="live-previews" data-testid="live-previews">
      <div className="live-previews__main">
        <LivePreview offline={offline} name={status?.camera.id} />
      </div>
      <div className="live-previews__others">
        {others.map((c) => (
          <LivePreview key={c.id} offline={offline} camera={c.id} name={c.id} />
        ))}
      </div>
    </div>
  );
}
