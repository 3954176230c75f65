// Types for update-statement.mjs.

/** What a signed update statement vouches for. */
export interface UpdateStatement {
  product: string;
  version: string;
  /** The bare file name on the update server, e.g. `Tessera-1.4.0-x86_64.AppImage`. */
  file: string;
  /** The file's SHA-512, 128 lowercase hex digits. */
  sha512: string;
}

export declare const STATEMENT_HEADER: string;
export declare const UPDATE_PRODUCT: string;
export declare const UPDATE_VERSION: RegExp;
/** Why `fields` cannot be signed or trusted as a statement, or null when they can. */
export declare function statementProblem(fields: Partial<UpdateStatement> | null | undefined): string | null;
/** The statement's text: exactly the bytes the signature covers. Throws for fields it cannot carry. */
export declare function formatUpdateStatement(fields: UpdateStatement): string;
/** The `.sig` file: the statement, then the base64 signature line. */
export declare function formatStatementFile(statement: string, signature: Uint8Array): string;
/** Reads a `.sig` file strictly: the fields and the signed bytes, or why it is not a statement. */
export declare function parseStatementFile(
  bytes: Uint8Array,
): { fields: UpdateStatement; signed: Buffer; signature: Buffer; problem?: undefined } | { problem: string };
