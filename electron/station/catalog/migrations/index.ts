import { migration001 } from './001-segments.js';
import { migration002 } from './002-clips.js';
import { migration003 } from './003-search.js';
import { migration004 } from './004-search-suffix.js';
import { migration005 } from './005-segment-chain.js';
import { migration006 } from './006-retention.js';
import { migration007 } from './007-segment-faults.js';
import { migration008 } from './008-mask-credentials.js';
import { migration009 } from './009-chain-epochs.js';
import { migration010 } from './010-clip-fps.js';
import { migration011 } from './011-hub-outbox.js';
import { migration012 } from './012-claims.js';
import { migration013 } from './013-orders.js';
import { migration014 } from './014-ship-mode.js';
import { migration015 } from './015-packers.js';
import { migration016 } from './016-item-codes.js';
import { migration017 } from './017-clip-cameras.js';
import { migration018 } from './018-chain-checkpoints.js';
import { migration019 } from './019-order-scan-view.js';
import type { Migration } from './types.js';

/** In order; each file holds one schema version. */
export const migrations: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012, migration013, migration014, migration015, migration016, migration017, migration018, migration019];
