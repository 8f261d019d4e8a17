/**
 * Camera ids name each camera's folder (runs/<id>/…) and its rows in the index, so two cameras of
 * one station must never share one. A spec's id says its kind and device (`demo`, `file`,
 * `v4l2-video0`); two demo or file cameras would collide, so a later camera whose id is taken gets
 * its position appended (`demo-2`). Given the same specs in the same order, a restart picks the same
 * ids, so each camera's footage continues under its own name.
 */
export function distinctCameraIds(ids: readonly string[]): string[] {
  const taken = new Set<string>();
  return ids.map((id, i) => {
    let out = id;
    for (let n = i + 1; taken.has(out); n++) out = `${id}-${n}`;
    taken.add(out);
    return out;
  });
}
