import { hubMigration001 } from './001-stations.js';
import { hubMigration002 } from './002-clips.js';
import { hubMigration003 } from './003-clip-order-packer.js';
import { hubMigration004 } from './004-clip-stats.js';
import { hubMigration005 } from './005-clip-packer-name.js';
import { hubMigration006 } from './006-users.js';
import { hubMigration007 } from './007-clip-grams.js';
import { hubMigration008 } from './008-clip-cameras.js';
import type { HubMigration } from './types.js';

/** In order; each file holds one schema version of the hub's PostgreSQL index. */
export const hubMigrations: readonly HubMigration[] = [hubMigration001, hubMigration002, hubMigration003, hubMigration004, hubMigration005, hubMigration006, hubMigration007, hubMigration008];
