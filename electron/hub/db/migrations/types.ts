export interface HubMigration {
  /** The schema version after this migration; one more than the previous one. */
  version: number;
  name: string;
  /** SQL run inside the migration's transaction. */
  up: string;
}
