import type { HubMigration } from './types.js';

/**
 * The order a clip packed (as the station took it at the scan: number, platform, masked buyer, items,
 * waybills) and the packer signed in at the bench. The order's number and waybills join the codes in
 * `search_text`, so the office finds a clip by the order number when only the waybill was scanned,
 * as the station does; the packer filter has its own index.
 */
export const hubMigration003: HubMigration = {
  version: 3,
  name: 'clip order and packer',
  up: `
    ALTER TABLE clips ADD COLUMN order_info jsonb;
    ALTER TABLE clips ADD COLUMN packer text;
    CREATE INDEX clips_packer_started ON clips (packer, started_at DESC) WHERE packer IS NOT NULL;
  `,
};
