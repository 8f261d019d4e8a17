export interface Migration {
  /** PRAGMA user_version after this migration; one more than the previous one. */
  version: number;
  name: string;
  /** SQL run inside the migration's transaction. */
  up: string;
}
