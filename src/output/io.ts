/**
 * The process's streams and environment, passed to every command so tests can give
 * fakes. Nothing else in src/ touches process.stdout/stderr/env directly.
 */
export interface OutStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface InStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

export interface Io {
  stdout: OutStream & NodeJS.WritableStream;
  stderr: OutStream & NodeJS.WritableStream;
  stdin: InStream;
  env: Record<string, string | undefined>;
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  };
}

export type OutputFormat = "table" | "json" | "ndjson";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["table", "json", "ndjson"];

/** Options every command accepts (defined once on the root program). */
export interface GlobalOptions {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  local?: boolean;
  output?: OutputFormat;
  /** false with --no-color */
  color: boolean;
  quiet?: boolean;
  debug?: boolean;
  /** --query: JMESPath applied to every JSON / NDJSON result. */
  query?: string;
}
