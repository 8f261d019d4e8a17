/**
 * The camera-spec parser lives in shared/camera-spec.ts (pure), because the settings schema runs the
 * same one in the browser; the recorder imports it from here.
 */
export * from '../../../shared/camera-spec.js';
