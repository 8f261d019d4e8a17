/**
 * Child process: the visual match of claim photos against one clip (clip-matcher.ts), apart from the
 * station, whose main thread watches the recording; the match takes seconds of CPU per minute of clip.
 *
 * argv[2]: JSON {ffmpegPath, clipFile, photoFiles}. Answers one JSON line: {photos: [{matches}]}.
 */
import { matchPhotosToClip } from './clip-matcher.js';

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as { ffmpegPath: string; clipFile: string; photoFiles: string[] };
  const result = await matchPhotosToClip(args);
  process.stdout.write(`${JSON.stringify({ photos: result.photos.map((p) => ({ matches: p.matches })) })}\n`);
}

main().catch((err: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: (err as Error).message })}\n`);
  process.exitCode = 1;
});
