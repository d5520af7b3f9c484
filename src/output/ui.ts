import { Chalk, type ChalkInstance } from "chalk";
import { compileQuery } from "../core/filter.js";
import { DeclinedError, InterruptedError, UsageError } from "../errors.js";
import { asciiOnly, colorWanted } from "./color.js";
import type { GlobalOptions, Io, OutputFormat } from "./io.js";
import { redact } from "./redact.js";
import { ASCII_BORDERS, layoutTable, withoutRowLines, type Overflow } from "./table.js";
import { keepTarget, targetFlags } from "./target.js";

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
  align?: "left" | "right";
  /** When the table is wider than the terminal: "wrap" (default, nothing is lost) or "truncate" (previews such as a body). */
  overflow?: Overflow;
  /** Print the header as written even when piped (an expression such as json.errorType), not upper-cased. */
  literal?: boolean;
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
  /** TERM=dumb: ASCII table borders and ellipses. */
  readonly ascii: boolean;
  /** --query, compiled: applied to every JSON document and NDJSON line this Ui writes. */
  private readonly query: ((value: unknown) => unknown) | undefined;
  /** --local / --endpoint-url / --profile / --region as given, for the commands hints suggest. */
  private readonly target: string[];

  constructor(
    readonly io: Io,
    globals: GlobalOptions,
  ) {
    this.stdoutIsTTY = io.stdout.isTTY === true;
    this.stderrIsTTY = io.stderr.isTTY === true;
    this.stdinIsTTY = io.stdin.isTTY === true;
    if (globals.query !== undefined && globals.output === "table") {
      throw new UsageError("--query applies to JSON: it cannot be used with -o table.", "Use -o json (the default with --query) or -o ndjson.");
    }
    this.query = globals.query !== undefined ? compileQuery(globals.query) : undefined;
    this.formatExplicit = globals.output !== undefined;
    // --query without -o means JSON, as in the AWS CLI (commands that stream still stream NDJSON when piped).
    this.format = globals.output ?? (this.query ? "json" : "table");
    this.quiet = globals.quiet === true;
    this.debugEnabled = globals.debug === true;
    this.ascii = asciiOnly(io.env);
    // Tables and notes are coloured; JSON never is (see src/output/color.ts for the priority).
    this.colorEnabled = colorWanted(io.env, this.stdoutIsTTY, globals.color) && this.format === "table";
    this.color = new Chalk({ level: this.colorEnabled ? 2 : 0 });
    this.target = targetFlags(globals);
  }

  /** Terminal width for tables: the terminal's, else $COLUMNS, else 80. */
  get width(): number {
    const cols = this.io.stdout.columns || Number(this.io.env.COLUMNS) || 80;
    return Math.max(20, cols);
  }

  /** "…", or "..." on a dumb terminal. */
  get ellipsis(): string {
    return this.ascii ? "..." : "…";
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

  /** One JSON document (-o json) or one object (a line of NDJSON); --query applies. */
  json(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(this.query ? this.query(value) : value, null, this.format === "json" ? 2 : undefined)}\n`);
  }

  /** One NDJSON line; --query applies to each line. */
  ndjsonLine(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(this.query ? this.query(value) : value)}\n`);
  }

  /** Many NDJSON lines in one write (a batch of messages). */
  ndjsonLines(values: unknown[]): void {
    if (values.length) this.io.stdout.write(values.map((v) => `${JSON.stringify(this.query ? this.query(v) : v)}\n`).join(""));
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
    this.out(
      this.renderTable(
        columns.map((c) => c.header),
        cells,
        columns.map((c) => c.align ?? "left"),
        columns.map((c) => c.overflow ?? "wrap"),
        columns.map((c) => c.literal === true),
      ),
    );
  }

  /** A single record as "key  value" lines (or JSON). */
  record(pairs: Array<[string, string]>, jsonValue: unknown): void {
    if (this.format !== "table") return this.json(jsonValue);
    const width = Math.max(0, ...pairs.map(([k]) => k.length));
    for (const [k, v] of pairs) this.out(`${this.color.bold(k.padEnd(width))}  ${v}`);
  }

  /**
   * On a terminal: a box table that fits its width (the widest columns wrap, or are cut
   * when marked "truncate"); ASCII borders on TERM=dumb. Piped: plain columns, never cut.
   */
  renderTable(
    headers: string[],
    rows: string[][],
    align: Array<"left" | "right">,
    overflow: Overflow[] = headers.map(() => "wrap"),
    literal: boolean[] = headers.map(() => false),
  ): string {
    if (this.stdoutIsTTY) {
      const fitted = layoutTable(headers, rows, overflow, this.width, this.ellipsis, align);
      // Loaded here so piped output and --help never pay for it.
      const Table = requireTable();
      const table = new Table({
        head: fitted.headers.map((h) => this.color.bold(h)),
        colAligns: align,
        ...(fitted.colWidths ? { colWidths: fitted.colWidths } : {}),
        ...(this.ascii ? { chars: ASCII_BORDERS } : {}),
        style: { head: [], border: this.colorEnabled ? ["grey"] : [] },
      });
      for (const r of fitted.rows) table.push(r);
      // A line between rows only when some cell wraps: one-line rows stay compact on a 24-row terminal.
      return fitted.rows.some((r) => r.some((c) => c.includes("\n"))) ? table.toString() : withoutRowLines(table.toString());
    }
    // Piped: plain aligned columns that awk/cut can read.
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (align[i] === "right" ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd();
    return [line(headers.map((h, i) => (literal[i] ? h : h.toUpperCase()))), ...rows.map(line)].join("\n");
  }

  // ---- stderr: everything else ----

  /** Progress and notes, and the summary of work done; silenced by --quiet. */
  info(text: string): void {
    if (!this.quiet) this.io.stderr.write(`${this.say(text)}\n`);
  }

  /** The summary of work done ("✔ purged orders"): stderr, silenced by --quiet. */
  success(text: string): void {
    this.info(`${this.color.green(this.ascii ? "ok" : "✔")} ${text}`);
  }

  warn(text: string): void {
    this.io.stderr.write(`${this.color.yellow("warning:")} ${this.say(text)}\n`);
  }

  error(text: string, hint?: string): void {
    this.io.stderr.write(`${this.color.red("error:")} ${this.say(text)}\n`);
    if (hint) this.io.stderr.write(`${this.color.dim("hint:")} ${this.say(hint)}\n`);
  }

  /** Diagnostic text as printed: redacted, and suggested sqsctl commands aimed where this one was. */
  private say(text: string): string {
    return keepTarget(this.redact(text), this.target);
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
    opts: { yes?: boolean | undefined; action: string; flag?: string; typeToConfirm?: string; interruptThrows?: boolean },
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
      if (err instanceof Error && err.name === "ExitPromptError") {
        if (opts.interruptThrows) throw new InterruptedError(`Interrupted at the question: nothing was done.`);
        return false;
      }
      throw err;
    }
  }

  /**
   * Confirms a destructive action the command cannot do without: a "no" (or the wrong
   * name typed) exits 1 and Ctrl-C at the prompt exits 130, so `sqsctl purge q && next`
   * stops. `notDone` says what did not happen ("Not purged").
   */
  async requireConfirmation(
    question: string,
    opts: { yes?: boolean | undefined; action: string; flag?: string; typeToConfirm?: string; notDone: string },
  ): Promise<void> {
    const ok = await this.confirm(question, { ...opts, interruptThrows: true });
    if (!ok) {
      throw new DeclinedError(
        opts.typeToConfirm !== undefined ? `${opts.notDone}: the name typed was not ${opts.typeToConfirm}.` : `${opts.notDone}: not confirmed.`,
      );
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
