import { useEffect, useRef, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { routes, type ClipCamera } from '../../../../shared/api';

/** Drift a small view may have from the large one before it is put back (a frame at 15 fps is 67 ms). */
const MAX_DRIFT_S = 0.1;

/** One camera's video of a clip: the main camera's without the parameter, as before several cameras. */
export function cameraVideoUrl(clipId: number, camera: ClipCamera | null): string {
  return routes.clipVideo(clipId, camera && !camera.main ? camera.id : undefined);
}

/**
 * The clip's other cameras, small beside the large player and following it (play, pause, seek, rate,
 * frame steps): the large one is the clock. A click on a small view swaps it into the large player.
 */
export function CameraViews({ clipId, cameras, large, onPick }: { clipId: number; cameras: ClipCamera[]; large: RefObject<HTMLVideoElement | null>; onPick: (camera: ClipCamera) => void }) {
  const { t } = useTranslation();
  const small = useRef(new Map<string, HTMLVideoElement>());

  useEffect(() => {
    const v = large.current;
    if (!v) return;
    const follow = (): void => {
      for (const s of small.current.values()) {
        if (Math.abs(s.currentTime - v.currentTime) > MAX_DRIFT_S || v.paused) s.currentTime = v.currentTime;
        s.playbackRate = v.playbackRate;
        if (v.paused && !s.paused) s.pause();
        if (!v.paused && s.paused) void s.play().catch(() => undefined);
      }
    };
    const events = ['play', 'pause', 'seeked', 'ratechange', 'timeupdate'] as const;
    for (const e of events) v.addEventListener(e, follow);
    return () => {
      for (const e of events) v.removeEventListener(e, follow);
    };
  }, [large, cameras]);

  return (
    <div className="camera-views" data-testid="camera-views">
      {cameras.map((c) => (
        <button key={c.id} type="button" className="camera-views__view" data-testid="camera-view" data-camera={c.id} title={t('clipPage.swapCamera', { name: c.name })} onClick={() => onPick(c)}>
          <video
            ref={(el) => {
              if (el) small.current.set(c.id, el);
              else small.current.delete(c.id);
            }}
            className="camera-views__video"
            src={cameraVideoUrl(clipId, c)}
            muted
            playsInline
            preload="auto"
            onLoadedMetadata={(e) => {
              if (large.current) e.currentTarget.currentTime = large.current.currentTime;
            }}
          />
          <span className="camera-views__name">{c.name}</span>
        </button>
      ))}
    </div>
  );
}
