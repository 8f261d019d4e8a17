/**
 * Files that ship with the app (fonts, sounds). Found by walking up from this module to the folder
 * holding `resources/`: the same code works from the source tree, from dist/ and from an unpacked
 * Electron app; PACKWITNESS_RESOURCES overrides it for unusual layouts.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

export function resourcesDir(): string {
  if (process.env.PACKWITNESS_RESOURCES) return process.env.PACKWITNESS_RESOURCES;
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir.replace('app.asar', 'app.asar.unpacked'), 'resources');
    if (existsSync(join(candidate, 'fonts'))) return (root = candidate);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('The resources folder (fonts, sounds) was not found next to PackWitness; reinstall it.');
    dir = parent;
  }
}

export const overlayFont = (): string => join(resourcesDir(), 'fonts', 'wqy-microhei.ttc');

/** The package root (where package.json and dist/ live). */
export const appRoot = (): string => dirname(resourcesDir());
