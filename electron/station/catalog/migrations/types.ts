export interface Migration {
  /** PRAGMA user_version after this migration; one more than the previous one. */
  version: number;
  name: string;
  /** SQL run inside the migration's transaction. */
  up: string;
  /**
   * The migration rebuilds a table other tables reference (SQLite's way to change a constraint):
   * foreign keys are off around its transaction, and every reference is checked before it commits.
   */
  foreignKeysOff?: boolean;
}
