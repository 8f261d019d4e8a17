/**
 * The name of whoever uses the library on this PC (optional): sent with changes so the clip's audit
 * log says who protected it or wrote the note, instead of only the station's name. Kept in
 * localStorage, so it is asked once per PC.
 */
import { create } from 'zustand';

const STORAGE_KEY = 'packwitness.operator';
export const OPERATOR_MAX_LENGTH = 32;

function readStored(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

interface OperatorState {
  name: string;
  setName: (name: string) => void;
}

export const useOperator = create<OperatorState>()((set) => ({
  name: readStored(),
  setName: (name) => {
    const value = name.slice(0, OPERATOR_MAX_LENGTH);
    set({ name: value });
    try {
      if (value.trim()) localStorage.setItem(STORAGE_KEY, value);
      else localStorage.removeItem(STORAGE_KEY);
    } catch {
      // storage disabled: the name lasts until the page reloads
    }
  },
}));

/** The name to send, or undefined when none is set. */
export function operatorName(): string | undefined {
  return useOperator.getState().name.trim() || undefined;
}
