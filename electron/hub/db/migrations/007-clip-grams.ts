import type { HubMigration } from './types.js';

/**
 * Newest-first search by any fragment of 4+ characters. The trigram index (002) finds every clip a
 * fragment matches, and a page then sorts them all by start time: a 4-digit fragment matches
 * thousands of clips in a million, so a page cost tens of milliseconds. `clip_grams` holds one row
 * per 4-character piece of each code line (`SF12345` → SF12 F123 1234 2345), with the clip's start
 * time and the whole line; its btree is read for one piece, newest first, and the line it carries
 * confirms the whole fragment without visiting `clips`, so a page stops when it is full (as the
 * station's `clip_code_suffix`). Kept by a trigger on `clips`, so every writer keeps it.
 */
export const hubMigration007: HubMigration = {
  version: 7,
  name: 'clip grams',
  up: `
    CREATE TABLE clip_grams (
      gram       text COLLATE "C" NOT NULL,
      started_at timestamptz NOT NULL,
      clip_id    bigint NOT NULL,
      line       text COLLATE "C" NOT NULL
    );

    -- Every 4-character piece of every line once per line (a piece twice in one line is one row).
    CREATE FUNCTION clip_grams_of(search_text text) RETURNS TABLE (gram text, line text)
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT DISTINCT substr(l, i, 4), l
          FROM unnest(string_to_array(search_text, E'\\n')) AS l, generate_series(1, length(l) - 3) AS i
      $$;

    CREATE FUNCTION clip_grams_keep() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          DELETE FROM clip_grams g USING clip_grams_of(OLD.search_text) o
           WHERE g.gram = o.gram AND g.started_at = OLD.started_at AND g.clip_id = OLD.id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO clip_grams (gram, started_at, clip_id, line)
            SELECT o.gram, NEW.started_at, NEW.id, o.line FROM clip_grams_of(NEW.search_text) o;
        END IF;
        RETURN NULL;
      END
    $$;

    INSERT INTO clip_grams (gram, started_at, clip_id, line)
      SELECT o.gram, c.started_at, c.id, o.line FROM clips c, clip_grams_of(c.search_text) o;

    CREATE INDEX clip_grams_walk ON clip_grams (gram, started_at DESC, clip_id DESC) INCLUDE (line);

    CREATE TRIGGER clip_grams_insert AFTER INSERT ON clips FOR EACH ROW EXECUTE FUNCTION clip_grams_keep();
    CREATE TRIGGER clip_grams_update AFTER UPDATE OF search_text, started_at ON clips FOR EACH ROW
      WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text OR OLD.started_at IS DISTINCT FROM NEW.started_at)
      EXECUTE FUNCTION clip_grams_keep();
    CREATE TRIGGER clip_grams_delete AFTER DELETE ON clips FOR EACH ROW EXECUTE FUNCTION clip_grams_keep();
  `,
};
