// Types for electronegativity-report.mjs (plain .mjs so `node scripts/electronegativity.mjs` needs no build).

export interface Finding {
  check: string;
  severity: string;
  confidence: string;
  /** Repository-relative, forward slashes. */
  file: string;
  line: number;
  column: number;
  sample: string;
  description: string;
  url: string;
}

export interface AllowlistEntry {
  check: string;
  file: string;
  justification: string;
}

export interface Evaluation {
  allowed: Array<Finding & { justification: string }>;
  unexpected: Finding[];
  stale: AllowlistEntry[];
}

/** A finding as the tool returned it in memory (the runner saves them next to the CSV). */
export interface InMemoryFinding {
  id: string;
  file: string;
  location?: { line: number; column: number };
  description: string;
}

/**
 * Parses Electronegativity's CSV; throws when it is empty or has no header (the tool crashed). A row
 * the tool wrote without its columns is taken from `inMemory` (same position, same description).
 */
export declare function parseElectronegativityCsv(
  text: string,
  inMemory?: InMemoryFinding[],
): Array<Finding & { repaired?: true }>;
/** Validates the allowlist JSON (`{ allow: [{ check, file, justification }] }`). */
export declare function parseAllowlist(json: unknown): AllowlistEntry[];
/** Matches findings to the allowlist by check id + file. */
export declare function evaluateFindings(findings: Finding[], allowlist: AllowlistEntry[]): Evaluation;
export declare function formatFindingsTable(evaluation: Pick<Evaluation, 'allowed' | 'unexpected'>): string;
