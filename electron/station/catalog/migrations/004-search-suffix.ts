import type { Migration } from './types.js';

/** Characters of every suffix kept as its index term; see `suffixHeads`. */
export const SUFFIX_HEAD_CHARS = 4;

/**
 * The first four characters of every suffix of `code` that has at least three (so "SF12345" gives
 * SF12 F123 1234 2345 345), space-separated: the text the suffix index tokenizes. Any fragment of
 * 3-4 characters is the start of one of these terms, and a longer one contains one at its start and
 * one at its end. Counted in characters, as SQL's length/substr count them and as the query side
 * (clip-search.ts) slices the fragment. Term order is irrelevant (detail=none), only the set counts.
 */
export const suffixHeads = (code: string): string => `(
  WITH RECURSIVE at(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM at WHERE i < length(${code}) - 2)
  SELECT group_concat(substr(${code}, i, ${SUFFIX_HEAD_CHARS}), ' ') FROM at
)`;

/**
 * Finding codes by any fragment through the heads of their suffixes, replacing the trigram index of
 * migration 003.
 *
 * Trigrams of digit-only codes are few (1,000) and each is in ~36,000 of a million clips' codes, so a
 * 6-10 character fragment read three such lists to find a handful of codes: 4-6 ms at a million clips,
 * under 100x the LIKE scan. Four-character terms are ten times more selective (10,000 digit terms)
 * and a fragment needs at most two of them: its first four characters and its last four. The FTS5
 * prefix index on three characters answers 3-character fragments with one list, as the trigram index
 * did. Measured on the same million-clip database, the lookup alone (p50): 6-character fragments
 * 0.7 ms instead of 4.5 ms, 10-character ones 0.3 ms instead of 3.8 ms, 3-4 character ones as fast
 * or faster. A fragment's end and its middle take the same path.
 *
 * - Contentless (the terms are derived from `code_norm`, never read back) and without a docsize
 *   table; the delete trigger hands FTS5 the same terms again, which the triggers can because the
 *   terms are a function of code_norm alone.
 * - Every character but whitespace is a token character (normalized codes hold no whitespace), so
 *   "#", "-" or full-width letters stay inside a term rather than splitting it.
 * - Codes shorter than three characters get no entry; fragments that short never use the index.
 */
/** The triggers that keep clip_code_suffix in step with clip_codes (migration 016 recreates them as they are here). */
export const SUFFIX_TRIGGERS = `    CREATE TRIGGER clip_codes_suffix_ai AFTER INSERT ON clip_codes WHEN length(new.code_norm) >= 3 BEGIN
      INSERT INTO clip_code_suffix(rowid, heads) VALUES (new.rowid, ${suffixHeads('new.code_norm')});
    END;
    CREATE TRIGGER clip_codes_suffix_ad AFTER DELETE ON clip_codes WHEN length(old.code_norm) >= 3 BEGIN
      INSERT INTO clip_code_suffix(clip_code_suffix, rowid, heads) VALUES ('delete', old.rowid, ${suffixHeads('old.code_norm')});
    END;
    CREATE TRIGGER clip_codes_suffix_au AFTER UPDATE OF code_norm ON clip_codes BEGIN
      INSERT INTO clip_code_suffix(clip_code_suffix, rowid, heads)
        SELECT 'delete', old.rowid, ${suffixHeads('old.code_norm')} WHERE length(old.code_norm) >= 3;
      INSERT INTO clip_code_suffix(rowid, heads)
        SELECT new.rowid, ${suffixHeads('new.code_norm')} WHERE length(new.code_norm) >= 3;
    END;
`;

export const migration004: Migration = {
  version: 4,
  name: 'search-suffix',
  up: `
    DROP TRIGGER clip_codes_ai;
    DROP TRIGGER clip_codes_ad;
    DROP TRIGGER clip_codes_au;
    DROP TABLE clip_code_search;

    CREATE VIRTUAL TABLE clip_code_suffix USING fts5(
      heads, content = '', columnsize = 0, detail = 'none', prefix = '3',
      tokenize = "unicode61 remove_diacritics 0 categories 'L* M* N* P* S* C*'"
    );
    INSERT INTO clip_code_suffix(rowid, heads)
      SELECT rowid, ${suffixHeads('code_norm')} FROM clip_codes WHERE length(code_norm) >= 3;

${SUFFIX_TRIGGERS}  `,
};
