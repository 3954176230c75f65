/** How a request in the history ended: an HTTP status, or why there was none. */
export type HistoryOutcome = number | 'timeout' | 'network' | 'cancelled' | 'error';

/** One request of the console's history. Bodies and headers are never kept. */
export interface HistoryEntry {
  method: string;
  path: string;
  outcome: HistoryOutcome;
  /** When it was sent (ms since the epoch). */
  at: number;
}

/** The console's history: newest first, at most `limit` entries, in this page's memory only. */
export interface RequestHistory {
  add(entry: HistoryEntry): void;
  entries(): readonly HistoryEntry[];
  clear(): void;
  /**
   * Whose requests these are (the active account): the history is dropped when the console opens for
   * another account, or another account becomes active while it is open. True when it was dropped.
   */
  ownedBy(user: string | null): boolean;
}

/** The number of requests the console remembers. */
export const HISTORY_LIMIT = 50;

/** Creates an empty history. */
export function createRequestHistory(limit = HISTORY_LIMIT): RequestHistory {
  let list: HistoryEntry[] = [];
  let owner: string | null = null;
  return {
    add(entry) {
      list = [
        { method: entry.method, path: entry.path, outcome: entry.outcome, at: entry.at },
        ...list,
      ].slice(0, limit);
    },
    entries: () => list,
    clear() {
      list = [];
    },
    ownedBy(user) {
      if (user === owner) return false;
      list = [];
      owner = user;
      return true;
    },
  };
}
