/**
 * Which message keys the renderer's sources name, and whether each one is in a language table.
 *
 * i18next's typed keys (CustomTypeOptions) made `tsc` walk every key path of the table for every
 * t() call: past 1,000 texts the renderer's type check took over twelve minutes and 3 GB. Keys are
 * checked here instead, by test/unit/i18n-keys.test.ts, so a typo still fails `npm test`.
 */

/** Every quoted 'ns.key.path' literal whose first part is one of `namespaces`, and every `ns.key.${…}` prefix. */
export function keysNamedIn(source: string, namespaces: ReadonlySet<string>): { keys: string[]; prefixes: string[] } {
  const keys = new Set<string>();
  const prefixes = new Set<string>();
  for (const m of source.matchAll(/(['"])([A-Za-z][\w-]*(?:\.[\w-]+)+)\1/g)) {
    if (namespaces.has(m[2]!.split('.')[0]!)) keys.add(m[2]!);
  }
  for (const m of source.matchAll(/`([A-Za-z][\w-]*(?:\.[\w-]+)*)\.\$\{/g)) {
    if (namespaces.has(m[1]!.split('.')[0]!)) prefixes.add(m[1]!);
  }
  return { keys: [...keys], prefixes: [...prefixes] };
}

/** The value at a dotted key path, or undefined. */
export function lookup(table: unknown, key: string): unknown {
  let at: unknown = table;
  for (const part of key.split('.')) {
    if (typeof at !== 'object' || at === null || !(part in at)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}
