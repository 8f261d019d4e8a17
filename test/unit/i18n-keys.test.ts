/**
 * Every message key the renderer names is a text in both languages, and every `ns.key.${…}` prefix
 * is a table of texts (renderer/src/i18n/keys.ts says why this is a test, not a type).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en.js';
import { keysNamedIn, lookup } from '../../renderer/src/i18n/keys.js';
import { zhCN } from '../../renderer/src/i18n/zh-CN.js';

const root = join(__dirname, '../../renderer/src');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) && !/^(en|zh-CN)\.ts$/.test(e.name) ? [join(dir, e.name)] : [],
  );
const namespaces = new Set(Object.keys(en));

describe('message keys', () => {
  it('finds keys and prefixes, and misses a key that is not in the table', () => {
    const found = keysNamedIn("t('banner.title'); t(`mode.${m}`); t(x ? 'banner.stale' : 'banner.nope'); cls('a.b')", namespaces);
    expect(found.keys.sort()).toEqual(['banner.nope', 'banner.stale', 'banner.title']);
    expect(found.prefixes).toEqual(['mode']);
    expect(typeof lookup(en, 'banner.title')).toBe('string');
    expect(lookup(en, 'banner.nope')).toBeUndefined();
  });

  it('every key the renderer names is a text in English and Chinese; every prefix is a table', () => {
    const files = sources(root);
    expect(files.length).toBeGreaterThan(20);
    const missing: string[] = [];
    let named = 0;
    for (const file of files) {
      const { keys, prefixes } = keysNamedIn(readFileSync(file, 'utf8'), namespaces);
      named += keys.length;
      for (const key of keys) {
        for (const [lang, table] of [['en', en], ['zh-CN', zhCN]] as const) {
          if (typeof lookup(table, key) !== 'string') missing.push(`${lang} ${key} (${file.slice(root.length + 1)})`);
        }
      }
      for (const prefix of prefixes) {
        for (const [lang, table] of [['en', en], ['zh-CN', zhCN]] as const) {
          const at = lookup(table, prefix);
          if (typeof at !== 'object' || at === null) missing.push(`${lang} ${prefix}.* (${file.slice(root.length + 1)})`);
        }
      }
    }
    expect(named).toBeGreaterThan(300);
    expect(missing).toEqual([]);
  });
});
