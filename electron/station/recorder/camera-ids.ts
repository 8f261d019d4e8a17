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

/**
 * Ids for a camera list that replaces the one recording (a settings save, or a start from saved
 * settings): a camera whose spec already has an id (`known`: the cameras recording now and the ids the
 * settings stored) keeps it, so reordering or renaming never moves a camera's footage to another
 * folder; the others get distinctCameraIds' names among what is left. A kept id must still be of the
 * camera's kind (`base`): 'auto' may find another device than last time.
 */
export function stableCameraIds(cams: ReadonlyArray<{ spec: string; base: string }>, known: ReadonlyMap<string, string>): string[] {
  const ofKind = (id: string, base: string) => id === base || (id.startsWith(`${base}-`) && /^\d+$/.test(id.slice(base.length + 1)));
  const out: Array<string | null> = cams.map(() => null);
  const taken = new Set<string>();
  cams.forEach((c, i) => {
    const id = known.get(c.spec);
    if (id !== undefined && ofKind(id, c.base) && !taken.has(id)) {
      out[i] = id;
      taken.add(id);
    }
  });
  return cams.map((c, i) => {
    const kept = out[i];
    if (kept) return kept;
    let id = c.base;
    for (let n = Math.max(i + 1, 2); taken.has(id); n++) id = `${c.base}-${n}`;
    taken.add(id);
    return id;
  });
}
