import { useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type PointerEvent as ReactPointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Clip } from '../../../../shared/api';
import { currentLanguage } from '../../i18n';
import { isTextField } from '../station/use-wedge-scanner';
import { formatDateTime, formatPosition } from './format';
import { FALLBACK_FPS, frameStepTarget } from './frame-step';
import { CameraViews, cameraVideoUrl } from './CameraViews';

const RATES = [0.5, 1, 2] as const;

/** Controls that space activates: outside the player, space stays theirs. */
const ACTIVATED_BY_SPACE = 'button, a[href], input, select, textarea, summary, [role="button"], [role="checkbox"], [role="switch"]';

export interface ScanMarker {
  code: string;
  kind: Clip['codeDetails'][number]['kind'];
  scannedAt: string;
  /** Seconds from the start of the video. */
  t: number;
}

export interface GapBand {
  id: number;
  reason: string;
  startedAt: string;
  endedAt: string | null;
  /** Seconds from the start of the video, clipped to the clip. */
  from: number;
  to: number;
}

/** Where each scan happened in the video: the video's first frame is the clip's startedAt. */
export function scanMarkers(clip: Clip, durationS: number): ScanMarker[] {
  const start = Date.parse(clip.startedAt);
  return clip.codeDetails.map((c) => ({ ...c, t: clamp((Date.parse(c.scannedAt) - start) / 1000, 0, durationS) }));
}

/** The stretches of the clip the camera did not record, in video seconds. */
export function gapBands(clip: Clip, durationS: number): GapBand[] {
  const start = Date.parse(clip.startedAt);
  return clip.gaps
    .map((g) => {
      const from = clamp((Date.parse(g.startedAt) - start) / 1000, 0, durationS);
      const to = clamp(g.endedAt ? (Date.parse(g.endedAt) - start) / 1000 : durationS, 0, durationS);
      return { id: g.id, reason: g.reason, startedAt: g.startedAt, endedAt: g.endedAt, from, to };
    })
    .filter((g) => g.to > g.from);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

interface LabelPlace {
  /** Which line under the track (0 = the first). */
  row: number;
  /** Hang the label to the left of its marker (it would run past the end of the track otherwise). */
  alignRight: boolean;
}

/**
 * Where the markers' labels go: each next to its marker, on the first line under the track where it
 * overlaps no other label, so that none hides another. `widths` are the labels' measured widths and
 * `xs` the markers' positions, in pixels, on a track `trackWidth` wide.
 */
export function placeLabels(xs: number[], widths: number[], trackWidth: number, gapPx = 6): LabelPlace[] {
  const rowEnds: number[] = [];
  return xs.map((x, i) => {
    const w = widths[i] ?? 0;
    const alignRight = x + w > trackWidth && x - w >= 0;
    const left = alignRight ? x - w : x;
    let row = rowEnds.findIndex((end) => left >= end + gapPx);
    if (row === -1) row = rowEnds.length;
    rowEnds[row] = left + w;
    return { row, alignRight };
  });
}

/**
 * The clip's video with what an agent needs to check a claim: a timeline showing where each code
 * was scanned (click to jump there) and where the camera recorded nothing, frame stepping, and
 * slow or fast playback.
 */
/** A jump asked for from outside the player (a claim's matched moment); `n` makes a repeat of the same time a new request. */
export interface SeekRequest {
  seconds: number;
  n: number;
}

export function ClipPlayer({ clip, onFirstPlayable, seekRequest }: { clip: Clip; onFirstPlayable?: () => void; seekRequest?: SeekRequest | null }) {
  const { t } = useTranslation();
  const lng = currentLanguage();
  const video = useRef<HTMLVideoElement>(null);
  const [time, setTime] = useState(0);
  const [mediaDuration, setMediaDuration] = useState<number | null>(null);
  const [rate, setRate] = useState(1);
  const [failed, setFailed] = useState(false);
  // Several cameras: the one in the large player (null: the main camera), the others small beside it.
  const [largeId, setLargeId] = useState<string | null>(null);
  const cameras = (clip.cameras ?? []).filter((c) => c.hasVideo);
  // A clip whose main camera recorded none of it plays its first other camera large.
  const largeCamera = cameras.find((c) => c.id === largeId) ?? cameras.find((c) => c.main) ?? cameras[0] ?? null;
  const smallCameras = cameras.length > 1 ? cameras.filter((c) => c !== largeCamera) : [];
  const src = cameraVideoUrl(clip.id, largeCamera);
  // Where the large player was when a swap changed its video: the new one resumes there.
  const resumeAt = useRef<{ time: number; playing: boolean } | null>(null);
  const swap = (c: { id: string }): void => {
    const v = video.current;
    if (v) resumeAt.current = { time: v.currentTime, playing: !v.paused && !v.ended };
    setLargeId(c.id);
  };

  // The recorded length; the media's own once it is known (they differ by a frame or two).
  const durationS = mediaDuration ?? (clip.video ? clip.video.durationMs / 1000 : 0);
  const markers = scanMarkers(clip, durationS);
  const gaps = gapBands(clip, durationS);

  // Labels are placed after they are measured, and again when the timeline changes width.
  const markerBox = useRef<HTMLDivElement>(null);
  const [places, setPlaces] = useState<LabelPlace[]>([]);
  const markerKey = markers.map((m) => `${m.t}:${m.code}`).join('|');
  useLayoutEffect(() => {
    const box = markerBox.current;
    if (!box) return;
    const place = (): void => {
      const width = box.clientWidth;
      const labels = [...box.querySelectorAll<HTMLElement>('.scan-marker__label')];
      const xs = [...box.querySelectorAll<HTMLElement>('.scan-marker')].map((m) => Number(m.dataset.time) / (durationS || 1) * width);
      const next = placeLabels(xs, labels.map((l) => l.offsetWidth), width);
      setPlaces((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    };
    place();
    const observer = new ResizeObserver(place);
    observer.observe(box);
    return () => observer.disconnect();
  }, [markerKey, durationS, lng]);
  const rowCount = Math.max(1, ...places.map((p) => p.row + 1));

  // The playhead moves smoothly while playing (timeupdate alone comes only about four times a second).
  useEffect(() => {
    const v = video.current;
    if (!v) return;
    let frame = 0;
    const tick = (): void => {
      setTime(v.currentTime);
      if (!v.paused && !v.ended) frame = requestAnimationFrame(tick);
    };
    const onPlay = (): void => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(tick);
    };
    const onUpdate = (): void => setTime(v.currentTime);
    v.addEventListener('play', onPlay);
    v.addEventListener('timeupdate', onUpdate);
    v.addEventListener('seeked', onUpdate);
    return () => {
      cancelAnimationFrame(frame);
      v.removeEventListener('play', onPlay);
      v.removeEventListener('timeupdate', onUpdate);
      v.removeEventListener('seeked', onUpdate);
    };
  }, []);

  // The start of the frame on screen (see frameStepTarget), and the time it was shown for.
  const shown = useRef<{ mediaTime: number; currentTime: number } | null>(null);
  useEffect(() => {
    const v = video.current;
    if (!v || typeof v.requestVideoFrameCallback !== 'function') return;
    let handle = 0;
    const onFrame = (_now: number, meta: VideoFrameCallbackMetadata): void => {
      shown.current = { mediaTime: meta.mediaTime, currentTime: v.currentTime };
      handle = v.requestVideoFrameCallback(onFrame);
    };
    handle = v.requestVideoFrameCallback(onFrame);
    return () => v.cancelVideoFrameCallback(handle);
  }, []);

  const seek = useCallback((s: number) => {
    const v = video.current;
    if (!v) return;
    const max = Number.isFinite(v.duration) ? v.duration : Infinity;
    v.currentTime = clamp(s, 0, max);
    setTime(v.currentTime);
  }, []);

  // The clip's own frame rate (at 15 fps a fixed 1/30 s step would show every frame twice).
  const fps = clip.video?.fps ?? FALLBACK_FPS;
  const step = useCallback(
    (frames: number): void => {
      const v = video.current;
      if (!v) return;
      v.pause();
      const s = shown.current;
      const start = s && Math.abs(s.currentTime - v.currentTime) < 1e-6 ? s.mediaTime : null;
      seek(frameStepTarget(v.currentTime, start, frames, fps));
    },
    [fps, seek],
  );

  const section = useRef<HTMLElement>(null);

  // A claim's matched moment: paused there, so the frame stays for the reviewer, and the player in view.
  useEffect(() => {
    if (!seekRequest) return;
    video.current?.pause();
    seek(seekRequest.seconds);
    section.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [seekRequest, seek]);

  // ←/→ step a frame, space plays or pauses, anywhere on the clip page except while typing in a
  // field; space on a control outside the player (protect, export) still presses that control.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || isTextField(e.target)) return;
      const v = video.current;
      if (!v) return;
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        if (e.target instanceof HTMLInputElement) return; // a slider or a radio group keeps its arrows
        e.preventDefault();
        step(e.key === 'ArrowRight' ? 1 : -1);
      } else if (e.key === ' ' && !e.repeat) {
        const target = e.target instanceof Element ? e.target : null;
        if (target?.closest(ACTIVATED_BY_SPACE) && !section.current?.contains(target)) return;
        // Not the player's focused button's click (after "Frame ▶", space plays), nor a page scroll.
        e.preventDefault();
        if (v.paused || v.ended) void v.play().catch(() => undefined);
        else v.pause();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step]);

  const changeRate = (r: number): void => {
    setRate(r);
    if (video.current) video.current.playbackRate = r;
  };

  const onTrackPointer = (e: ReactPointerEvent<HTMLDivElement>): void => {
    if (durationS <= 0 || e.button !== 0) return;
    const box = e.currentTarget.getBoundingClientRect();
    seek(((e.clientX - box.left) / box.width) * durationS);
  };

  const pct = (s: number): string => `${durationS > 0 ? (s / durationS) * 100 : 0}%`;

  return (
    <section className="player" aria-label={t('clipPage.player')} ref={section}>
      <div className={smallCameras.length > 0 ? 'player__frame player__frame--cameras' : 'player__frame'}>
        <video
          ref={video}
          className="player__video"
          data-testid="clip-video"
          data-camera={largeCamera?.id}
          src={src}
          controls
          preload="metadata"
          playsInline
          onLoadedMetadata={(e) => {
            const d = e.currentTarget.duration;
            if (Number.isFinite(d) && d > 0) setMediaDuration(d);
            e.currentTarget.playbackRate = rate;
            const resume = resumeAt.current;
            resumeAt.current = null;
            if (resume) {
              e.currentTarget.currentTime = resume.time;
              if (resume.playing) void e.currentTarget.play().catch(() => undefined);
              return;
            }
            onFirstPlayable?.();
          }}
          onRateChange={(e) => setRate(e.currentTarget.playbackRate)}
          onError={() => setFailed(true)}
        />
        {smallCameras.length > 0 && <CameraViews clipId={clip.id} cameras={smallCameras} large={video} onPick={swap} />}
      </div>
      {failed && (
        <p className="player__error" role="alert" data-testid="video-error">
          {t('clipPage.videoError')}{' '}
          <a href={src} download={`packwitness-clip-${clip.id}${largeCamera && !largeCamera.main ? `-${largeCamera.id}` : ''}.mp4`}>
            {t('clipPage.downloadVideo')}
          </a>
        </p>
      )}

      <div className="timeline" data-testid="timeline" style={{ '--rows': rowCount } as CSSProperties}>
        <div className="timeline__track" data-testid="timeline-track" onPointerDown={onTrackPointer} title={t('clipPage.timelineHelp')}>
          {gaps.map((g) => (
            <div
              key={g.id}
              className="timeline__gap"
              data-testid="gap-marker"
              style={{ left: pct(g.from), width: `calc(${pct(g.to - g.from)} + 2px)` }}
              title={t('clipPage.gapTitle', {
                from: formatDateTime(g.startedAt, lng),
                to: g.endedAt ? formatDateTime(g.endedAt, lng) : '…',
                reason: g.reason,
              })}
            />
          ))}
          <div className="timeline__played" style={{ width: pct(Math.min(time, durationS)) }} />
          <div className="timeline__playhead" style={{ left: pct(Math.min(time, durationS)) }} data-testid="playhead" />
        </div>
        <div className="timeline__markers" ref={markerBox}>
          {markers.map((m, i) => (
            <button
              key={`${m.code}-${i}`}
              type="button"
              className={`scan-marker scan-marker--${m.kind}`}
              data-testid="scan-marker"
              data-code={m.code}
              data-time={m.t.toFixed(3)}
              data-row={places[i]?.row ?? 0}
              data-align={places[i]?.alignRight ? 'right' : 'left'}
              style={{ left: pct(m.t), '--row': places[i]?.row ?? 0 } as CSSProperties}
              title={t('clipPage.markerTitle', { code: m.code, kind: t(`codeKind.${m.kind}`), time: formatPosition(m.t) })}
              onClick={() => seek(m.t)}
            >
              <span className="scan-marker__label">
                {t(`codeKind.${m.kind}`)} {m.code}
              </span>
            </button>
          ))}
        </div>
        <div className="timeline__ends" aria-hidden="true">
          <span>{formatPosition(0)}</span>
          <span>{formatPosition(durationS)}</span>
        </div>
      </div>

      <div className="player__controls">
        <div className="button-group" role="group" aria-label={t('clipPage.frameStep')}>
          <button type="button" className="button" data-testid="frame-back" data-fps={fps} onClick={() => step(-1)} title={t('clipPage.frameBackHelp', { fps })}>
            ◀︎ {t('clipPage.frameBack')}
          </button>
          <button type="button" className="button" data-testid="frame-forward" onClick={() => step(1)} title={t('clipPage.frameForwardHelp', { fps })}>
            {t('clipPage.frameForward')} ▶︎
          </button>
        </div>
        <div className="button-group" role="group" aria-label={t('clipPage.speed')}>
          {RATES.map((r) => (
            <button key={r} type="button" className="button" aria-pressed={rate === r} data-testid={`rate-${r}`} onClick={() => changeRate(r)}>
              {r}×
            </button>
          ))}
        </div>
        <span className="player__time" data-testid="player-time">
          {formatPosition(time)} / {formatPosition(durationS)}
        </span>
      </div>
    </section>
  );
}
