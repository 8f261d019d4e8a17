import type { HubMigration } from './types.js';

/**
 * What the packer statistics need beyond the clip record: the packing time and the duplicate-scan
 * warning, as the station counted them (its scans stay on the station). Null for clips from stations
 * that sent neither: they count as parcels, without a packing time. The index serves the statistics'
 * one query: packing clips in a period, over all stations or one.
 */
export const hubMigration004: HubMigration = {
  version: 4,
  name: 'clip statistics',
  up: `
    ALTER TABLE clips ADD COLUMN packing_ms bigint;
    ALTER TABLE clips ADD COLUMN duplicate_scan boolean;
    CREATE INDEX clips_pack_started ON clips (started_at, station_id) WHERE mode = 'pack' AND status <> 'cancelled';
  `,
};
