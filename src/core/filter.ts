import { createRequire } from "node:module";
import { UsageError } from "../errors.js";
import { filterView, type Envelope } from "./envelope.js";
import { addPending, sayNow, type PendingNote } from "./expression-notes.js";
import { plural } from "./text.js";

/**
 * --filter and --group-by use JMESPath, the language of `aws --query`, over the
 * envelope with the JSON body parsed as `json`. --query uses the same language on a
 * command's JSON result.
 */
export interface CompiledExpression {
  source: string;
  /** Raw JMESPath result for one envelope. */
  evaluate(env: Envelope): unknown;
}

interface AstNode {
  type: string;
  name?: string;
  value?: unknown;
  children?: Array<AstNode | null>;
}

interface Jmespath {
  compile(expression: string): AstNode;
  tokenize(expression: string): Array<{ type: string; value: unknown; start: number }>;
  search(data: unknown, expression: string): unknown;
}

// Loaded on first use: every command's Ui imports this module (for --query), and only
// commands given an expression should pay for the parser.
let loaded: Jmespath | undefined;
function jp(): Jmespath {
  loaded ??= createRequire(import.meta.url)("jmespath") as Jmespath;
  return loaded;
}

const EXAMPLES = "Examples: json.errorType == 'Timeout', receiveCount > `3`, contains(body, 'refund').";

/** The parts of the expression outside its quotes ('raw', "field", `literal`), for spotting operators. */
function outsideQuotes(source: string): string {
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (quote) {
      if (ch === "\\") i += 1;
      else if (ch === quote) quote = undefined;
      out += " ";
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`") {
      quote = ch;
      out += " ";
      continue;
    }
    out += ch;
  }
  return out;
}

/**
 * Parses an expression or throws a UsageError that says what is wrong in words a user
 * can act on (never a JavaScript TypeError from inside the parser).
 */
export function parseExpression(source: string, flag: string, help = "See 'sqsctl help filters'."): AstNode {
  const bare = outsideQuotes(source);
  const lone = [...bare.matchAll(/(?<![=!<>])=(?!=)/g)].map((m) => m.index);
  if (lone.length) {
    let fixed = source;
    for (const at of lone.reverse()) fixed = `${fixed.slice(0, at)}==${fixed.slice(at + 1)}`;
    throw new UsageError(`${flag}: "${source}": JMESPath compares with ==, not =.`, `Write: ${flag} ${shellWord(fixed)}`);
  }
  const number = /(?:==|!=|<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)(?![\w.])/.exec(bare);
  if (number) {
    const at = number.index + number[0].length - number[1]!.length;
    const fixed = `${source.slice(0, at)}\`${number[1]}\`${source.slice(at + number[1]!.length)}`;
    throw new UsageError(
      `${flag}: "${source}": a number in JMESPath goes in backticks: \`${number[1]}\`.`,
      `Write it in single quotes so the shell leaves the backticks alone: ${flag} ${shellWord(fixed)}`,
    );
  }
  let ast: AstNode;
  try {
    ast = jp().compile(source);
    // Some malformed expressions (a..b) parse into a broken tree that only fails when run.
    jp().search({}, source);
  } catch (err) {
    const e = err as Error;
    const ownError = e.name === "ParserError" || e.name === "LexerError";
    if (ownError || e instanceof TypeError) {
      throw new UsageError(`${flag}: "${source}" is not a valid JMESPath expression${ownError ? ` (${e.message})` : ""}.`, `${EXAMPLES} ${help}`);
    }
    // A function given the wrong type on an empty document (contains(body, 'x') on {}) is a valid expression.
  }
  return ast!;
}

export function compileExpression(source: string, flag: string): CompiledExpression {
  parseExpression(source, flag);
  return {
    source,
    evaluate(env) {
      return jp().search(filterView(env), source);
    },
  };
}

/** --query: a JMESPath expression applied to a command's JSON result. */
export function compileQuery(source: string): (value: unknown) => unknown {
  parseExpression(source, "--query", "See 'sqsctl help output'.");
  return (value) => jp().search(value as never, source);
}

/** A field path compared in the expression: json.errorType, "Timeout". */
interface ComparedPath {
  path: string[];
  /** Written as "double quoted" (a field in JMESPath, usually meant as text). */
  quoted: boolean;
  /** Written as a single bare word on one side of a comparison. */
  bareWord: boolean;
  comparison: AstNode;
}

function pathOf(node: AstNode | null | undefined): string[] | undefined {
  if (!node) return undefined;
  if (node.type === "Field" && typeof node.name === "string") return [node.name];
  if (node.type === "Subexpression" && node.children?.length === 2) {
    const a = pathOf(node.children[0]);
    const b = pathOf(node.children[1]);
    return a && b ? [...a, ...b] : undefined;
  }
  return undefined;
}

function comparedPaths(source: string, ast: AstNode): ComparedPath[] {
  let quotedNames = new Set<string>();
  try {
    quotedNames = new Set(jp().tokenize(source).filter((t) => t.type === "QuotedIdentifier").map((t) => String(t.value)));
  } catch {
    // the parse already succeeded; tokens are only a refinement
  }
  const out: ComparedPath[] = [];
  const visit = (n: AstNode | null | undefined) => {
    if (!n) return;
    if (n.type === "Comparator") {
      for (const side of n.children ?? []) {
        const path = pathOf(side);
        if (!path) continue;
        const single = path.length === 1;
        out.push({ path, quoted: single && quotedNames.has(path[0]!), bareWord: single, comparison: n });
      }
    }
    for (const c of n.children ?? []) visit(c);
  };
  visit(ast);
  return out;
}

function present(view: unknown, path: string[]): boolean {
  let v: unknown = view;
  for (const key of path) {
    if (v === null || typeof v !== "object" || Array.isArray(v) || !(key in (v as object))) return false;
    v = (v as Record<string, unknown>)[key];
  }
  return true;
}

/**
 * Shell-quotes an expression for a suggestion: double quotes unless it holds ", `, $,
 * a backslash, or a ! that bash would expand (!= is safe: bash leaves "!=" alone).
 */
function shellWord(expr: string): string {
  return /["`$\\]|![^\s=(]/.test(expr) ? `'${expr.replace(/'/g, `'\\''`)}'` : `"${expr}"`;
}

/** How many messages a streaming command looks at before it warns without waiting for its end. */
const WARN_AFTER = 20;

/**
 * Watches a filter's compared fields over the messages it sees. A field that no message
 * has is almost always a mistake: "Timeout" in double quotes (a field in JMESPath, not
 * text), a bare word, or a misspelt path. The warning names the fix.
 */
class FieldWatch implements PendingNote {
  private seen = 0;
  private said = false;
  private readonly found: boolean[];

  constructor(
    private readonly source: string,
    private readonly flag: string,
    private readonly paths: ComparedPath[],
  ) {
    this.found = paths.map(() => false);
  }

  observe(view: unknown): void {
    if (this.said) return;
    this.seen += 1;
    this.paths.forEach((p, i) => {
      if (!this.found[i] && present(view, p.path)) this.found[i] = true;
    });
    if (this.seen === WARN_AFTER) {
      const text = this.take();
      if (text) sayNow(text);
    }
  }

  take(): string | undefined {
    if (this.said || this.seen === 0) return undefined;
    const missing = this.paths.filter((_, i) => !this.found[i]);
    if (missing.length === 0) return undefined;
    this.said = true;
    const seen = `${plural(this.seen, "message")} looked at`;
    const words = missing.filter((p) => p.quoted || p.bareWord);
    if (words.length) {
      let fixed = this.source;
      for (const w of words) {
        const name = w.path[0]!;
        fixed = w.quoted ? fixed.split(`"${name}"`).join(`'${name}'`) : fixed.replace(new RegExp(`(^|[^\\w.'"])${name.replace(/[^\w]/g, "\\$&")}(?![\\w'"])`), `$1'${name}'`);
      }
      const names = words.map((w) => (w.quoted ? `"${w.path[0]}"` : w.path[0])).join(", ");
      return (
        `${this.flag} ${this.source}: ${names} ${words.length === 1 ? "is a field name" : "are field names"} in JMESPath (double quotes and bare words name fields), ` +
        `and none of the ${seen} has such a field, so the comparison never matches as meant. ` +
        `For text use single quotes: ${this.flag} ${shellWord(fixed)}`
      );
    }
    const paths = missing.map((p) => p.path.join(".")).join(", ");
    return `${this.flag} ${this.source}: none of the ${seen} has ${paths}, so ${missing.length === 1 ? "it is" : "they are"} always null in the comparison. Check the spelling against an envelope ('sqsctl receive QUEUE --peek -o json'; the body's fields are under json.).`;
  }
}

/** A predicate: JMESPath truthiness (false, null, empty string/array/object are false). */
export function compileFilter(source: string, flag = "--filter"): (env: Envelope) => boolean {
  const ast = parseExpression(source, flag);
  const paths = comparedPaths(source, ast);
  const watch = paths.length ? new FieldWatch(source, flag, paths) : undefined;
  if (watch) addPending(watch);
  return (env) => {
    const view = filterView(env);
    watch?.observe(view);
    return isTruthy(jp().search(view, source));
  };
}

/** The key for --group-by: the value as text, "(none)" when the expression yields nothing. */
export function compileGroupBy(source: string, flag = "--group-by"): (env: Envelope) => string {
  const expr = compileExpression(source, flag);
  return (env) => groupKeyOf(expr.evaluate(env));
}

/** A --group-by value as its group's key: the text, JSON for other values, "(none)" when empty. */
export function groupKeyOf(v: unknown): string {
  if (v === null || v === undefined || v === "") return "(none)";
  return typeof v === "string" ? v : JSON.stringify(v);
}

export function isTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v as object).length > 0;
  return true;
}
