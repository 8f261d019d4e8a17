/**
 * zod's JIT compiles object parsers with `new Function`, which the station's Content-Security-Policy
 * forbids (no eval: electron/station/server/security-headers.ts). Even its probe for eval is a CSP
 * violation the browser reports. Jitless parsing is the same checks, interpreted; our objects are
 * small, so the speed does not matter. Imported first by main.tsx, before anything parses.
 */
import { z } from 'zod';

z.config({ jitless: true });
