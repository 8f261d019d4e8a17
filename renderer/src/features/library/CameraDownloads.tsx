import { useTranslation } from 'react-i18next';
import { routes, type ClipCamera } from '../../../../shared/api';

/** One camera's video of a clip as a file to save (the server names it by the clip and the camera's name). */
export function cameraDownloadUrl(clipId: number, camera: ClipCamera): string {
  return routes.clipVideoDownload(clipId, camera.main ? undefined : camera.id);
}

/**
 * A clip filmed by several cameras: each camera's video to download on its own, named by the camera,
 * and which cameras recorded none of it (a clip whose main camera was down still offers the others').
 * The station and the hub serve the same route.
 */
export function CameraDownloads({ clipId, cameras }: { clipId: number; cameras: ClipCamera[] }) {
  const { t } = useTranslation();
  return (
    <section className="panel" data-testid="camera-downloads">
      <h2 className="panel__title">{t('clipPage.cameraDownloads')}</h2>
      <ul className="camera-downloads">
        {cameras.map((c) => (
          <li key={c.id} data-camera={c.id}>
            {c.hasVideo ? (
              <a className="button" href={cameraDownloadUrl(clipId, c)} download data-testid="camera-download" data-camera={c.id}>
                {t('clipPage.downloadCamera', { name: c.name })}
              </a>
            ) : (
              <span data-testid="camera-no-video">{t('clipPage.cameraNoVideo', { name: c.name })}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
