import type { HubMigration } from './types.js';

/**
 * The packer's name as the station had it when the clip started (its badge code stays in `packer`):
 * the office reads who packed a parcel, and a later rename at the station does not change an
 * uploaded clip. Numbered 005: 004 belongs to another change; this one depends only on 003.
 */
export const hubMigration005: HubMigration = {
  version: 5,
  name: 'clip packer name',
  up: `
    ALTER TABLE clips ADD COLUMN packer_name text;
  `,
};
