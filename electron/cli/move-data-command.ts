/**
 * `packwitness move-data`: move a stopped station's data folder (see station/storage/move-data.ts),
 * one progress line per 5 % (a terminal gets one line rewritten in place).
 */
import { moveDataFolder, type MoveProgress, type MoveReport } from '../station/storage/move-data.js';

export async function runMoveData(from: string, to: string, write: (line: string) => void): Promise<MoveReport> {
  let lastStep = -1;
  const onProgress = (p: MoveProgress) => {
    const pct = p.bytesTotal ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : 100;
    const step = Math.floor(pct / 5) + (p.phase === 'delete' ? 100 : 0);
    if (step === lastStep && p.filesDone !== p.filesTotal) return;
    lastStep = step;
    write(`${p.phase === 'copy' ? 'copied and verified' : 'deleted from the old folder'} ${p.filesDone}/${p.filesTotal} files, ${(p.bytesDone / 1e6).toFixed(1)}/${(p.bytesTotal / 1e6).toFixed(1)} MB (${pct} %)`);
  };
  return moveDataFolder(from, to, { onProgress });
}
