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

/** What the gate reads from the object Electronegativity's `run()` returns. */
export interface Run {
  /** Global + atomic checks the tool ran. */
  checks: number;
  findings: Finding[];
  /** Files parsed with warnings (still checked). */
  warnings: ParseError[];
  /** Files that could not be parsed, so were not checked. */
  unparsed: ParseError[];
}

export interface ParseError {
  file: string;
  message: string;
  tolerable: boolean;
}

/**
 * Reads Electronegativity's in-memory result (`{ globalChecks, atomicChecks, errors, issues }`); throws
 * when it is not of that shape.
 */
export declare function readRun(result: unknown): Run;
/** Validates the allowlist JSON (`{ allow: [{ check, file, justification }] }`). */
export declare function parseAllowlist(json: unknown): AllowlistEntry[];
/** Matches findings to the allowlist by check id + file. */
export declare function evaluateFindings(findings: Finding[], allowlist: AllowlistEntry[]): Evaluation;
export declare function formatFindingsTable(evaluation: Pick<Evaluation, 'allowed' | 'unexpected'>): string;
