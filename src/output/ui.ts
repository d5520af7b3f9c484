import { Chalk, type ChalkInstance } from "chalk";
import { UsageError } from "../errors.js";
import type { GlobalOptions, Io, OutputFormat } from "./io.js";
import { redact } from "./redact.js";

export interface Column<T> {
  header: string;
  /** Field name used in plain (piped) output headers and nothing else. */
  value: (row: T) => string | number | boolean | null | undefined;
  align?: "left" | "right";
}

/**
 * The only writer to the terminal. Results go to stdout in the chosen format;
 * everything else (progress, notes, warnings, errors) goes to stderr so that JSON on
 * stdout is never corrupted.
 */
export class Ui {
  readonly format: OutputFormat;
  /** True when the user chose the format with -o; commands that stream default to NDJSON when piped. */
  readonly formatExplicit: boolean;
  readonly color: ChalkInstance;
  readonly colorEnabled: boolean;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly stdinIsTTY: boolean;
  readonly quiet: boolean;
  readonly debugEnabled: boolean;

  constructor(
    readonly io: Io,
    globals: GlobalOptions,
  ) {
    this.stdoutIsTTY = io.stdout.isTTY === true;
    this.stderrIsTTY = io.stderr.isTTY === true;
    this.stdinIsTTY = io.stdin.isTTY === true;
    this.formatExplicit = globals.output !== undefined;
    this.format = globals.output ?? "table";
    this.quiet = globals.quiet === true;
    this.debugEnabled = globals.debug === true;
    // Priority: --no-color > NO_COLOR > TERM=dumb > machine output > TTY detection.
    this.colorEnabled =
      globals.color !== false &&
      io.env.NO_COLOR === undefined &&
      io.env.TERM !== "dumb" &&
      this.format === "table" &&
      this.stdoutIsTTY;
    this.color = new Chalk({ level: this.colorEnabled ? 2 : 0 });
  }

  /** Machine-readable output wanted on stdout: -o json/ndjson, or piped without -o for streams. */
  get streamsNdjson(): boolean {
    return this.format === "ndjson" || (!this.formatExplicit && !this.stdoutIsTTY);
  }

  // ---- stdout: results ----

  /** Writes one line of result text to stdout. */
  out(text = ""): void {
    this.io.stdout.write(`${text}\n`);
  }

  /**
   * Resolves once everything written to stdout so far was accepted by it (the write
   * callback); rejects with the stream's error: a full disk (`> /dev/full`), a closed
   * pipe (EPIPE). A command deletes a message only after its line was accepted.
   */
  stdoutAccepted(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.io.stdout.write("", (err?: Error | null) => (err ? reject(err) : resolve()));
    });
  }

  /** One JSON document (-o json) or one object (a line of NDJSON). */
  json(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, this.format === "json" ? 2 : undefined)}\n`);
  }

  ndjsonLine(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /**
   * A list of records: a table on a TTY, aligned plain columns when piped,
   * a JSON array with -o json, one object a line with -o ndjson.
   */
  list<T>(rows: T[], columns: Column<T>[], toJson: (row: T) => unknown = (r) => r): void {
    if (this.format === "json") return this.json(rows.map(toJson));
    if (this.format === "ndjson") {
      for (const r of rows) this.ndjsonLine(toJson(r));
      return;
    }
    const cells = rows.map((r) => columns.map((c) => cellText(c.value(r))));
    this.out(this.renderTable(columns.map((c) => c.header), cells, columns.map((c) => c.align ?? "left")));
  }

  /** A single record as "key  value" lines (or JSON). */
  record(pairs: Array<[string, string]>, jsonValue: unknown): void {
    if (this.format !== "table") return this.json(jsonValue);
    const width = Math.max(0, ...pairs.map(([k]) => k.length));
    for (const [k, v] of pairs) this.out(`${this.color.bold(k.padEnd(width))}  ${v}`);
  }

  renderTable(headers: string[], rows: string[][], align: Array<"left" | "right">): string {
    if (this.stdoutIsTTY) {
      // Loaded here so piped output and --help never pay for it.
      const Table = requireTable();
      const table = new Table({
        head: headers.map((h) => this.color.bold(h)),
        colAligns: align,
        style: { head: [], border: this.colorEnabled ? ["grey"] : [] },
      });
      for (const r of rows) table.push(r);
      return table.toString();
    }
    // Piped: plain aligned columns that awk/cut can read.
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (align[i] === "right" ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd();
    return [line(headers.map((h) => h.toUpperCase())), ...rows.map(line)].join("\n");
  }

  // ---- stderr: everything else ----

  /** Progress and notes; silenced by --quiet. */
  info(text: string): void {
    if (!this.quiet) this.io.stderr.write(`${this.redact(text)}\n`);
  }

  success(text: string): void {
    this.info(`${this.color.green("✔")} ${text}`);
  }

  warn(text: string): void {
    this.io.stderr.write(`${this.color.yellow("warning:")} ${this.redact(text)}\n`);
  }

  error(text: string, hint?: string): void {
    this.io.stderr.write(`${this.color.red("error:")} ${this.redact(text)}\n`);
    if (hint) this.io.stderr.write(`${this.color.dim("hint:")} ${this.redact(hint)}\n`);
  }

  debug(text: string): void {
    if (this.debugEnabled) this.io.stderr.write(`${this.color.dim(`debug: ${this.redact(text)}`)}\n`);
  }

  redact(text: string): string {
    return redact(text, this.io.env);
  }

  // ---- interaction ----

  /** True when prompts can be shown: both stdin and stderr are terminals. */
  get interactive(): boolean {
    return this.stdinIsTTY && this.stderrIsTTY;
  }

  /**
   * Confirms a destructive action. With --yes it passes; without a TTY it refuses
   * (exit 2) so scripts never hang on a prompt and never destroy data by accident.
   * `typeToConfirm` asks the user to type a word (the queue name for purge).
   */
  async confirm(
    question: string,
    opts: { yes?: boolean | undefined; action: string; flag?: string; typeToConfirm?: string },
  ): Promise<boolean> {
    if (opts.yes) return true;
    if (!this.interactive) {
      throw new UsageError(
        `Refusing to ${opts.action} without confirmation: there is no terminal to ask on.`,
        `Re-run with ${opts.flag ?? "--yes"} to confirm non-interactively.`,
      );
    }
    const prompts = await import("@inquirer/prompts");
    const output = this.io.stderr;
    try {
      if (opts.typeToConfirm !== undefined) {
        const answer = await prompts.input(
          { message: `${question} Type ${this.color.bold(opts.typeToConfirm)} to confirm:` },
          { output },
        );
        return answer.trim() === opts.typeToConfirm;
      }
      return await prompts.confirm({ message: question, default: false }, { output });
    } catch (err) {
      if (err instanceof Error && err.name === "ExitPromptError") return false;
      throw err;
    }
  }
}

function cellText(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined || v === "") return "-";
  return String(v);
}

import { createRequire } from "node:module";
type TableCtor = typeof import("cli-table3");
let tableCtor: TableCtor | undefined;
function requireTable(): TableCtor {
  tableCtor ??= createRequire(import.meta.url)("cli-table3") as TableCtor;
  return tableCtor;
}
