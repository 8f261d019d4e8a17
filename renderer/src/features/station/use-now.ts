import { useEffect, useState } from 'react';

/**
 * The current time, re-rendering every `intervalMs`. Staleness depends on time passing, not on
 * anything the store does: a poll that never settles must still turn the screen red.
 */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
