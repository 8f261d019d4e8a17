/** English texts. The shape of this object is the shape every other language must have (see zh-CN.ts). */
export const en = {
  app: { title: 'PackWitness' },
  language: { label: 'Language' },
  recording: {
    on: 'REC',
    off: 'Not recording',
  },
  banner: {
    title: 'NOT RECORDING',
    connecting: 'Connecting to the station…',
    unreachable: 'The station cannot be reached',
    stale: 'No answer from the station',
    cameraNotRecording: 'The camera is not recording',
    stationError: 'The station reported an error',
  },
  preview: {
    alt: 'Live camera picture',
    unavailable: 'No live picture — retrying…',
  },
  cameraState: {
    starting: 'Starting',
    recording: 'Recording',
    stalled: 'Stalled',
    restarting: 'Restarting',
    stopped: 'Stopped',
  },
  stats: {
    station: 'Station',
    camera: 'Camera',
    restarts: 'Restarts',
    lastError: 'Last error',
    lastGap: 'Last gap',
    segments: 'Segments',
    freeDisk: 'Free disk',
    none: 'None',
    gapOngoing: 'since {{start}} (ongoing)',
    lastKnown: 'Last known at {{time}}',
  },
  auth: {
    title: 'Open the link printed by the station',
    detail: 'This screen needs the address the station printed when it started (the line beginning with READY).',
  },
};

export type Messages = typeof en;
