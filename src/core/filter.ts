import jmespath from "jmespath";
import { UsageError } from "../errors.js";
import { filterView, type Envelope } from "./envelope.js";

/**
 * --filter and --group-by use JMESPath, the language of `aws --query`, over the
 * envelope with the JSON body parsed as `json`.
 */
export interface CompiledExpression {
  source: string;
  /** Raw JMESPath result for one envelope. */
  evaluate(env: Envelope): unknown;
}

export function compileExpression(source: string, flag: string): CompiledExpression {
  try {
    // Parse only: evaluating against {} would reject valid expressions such as
    // contains(body, 'refund'), whose functions fail on the missing (null) field.
    (jmespath as unknown as { compile(expression: string): unknown }).compile(source);
    // Some malformed expressions (a..b) parse into a broken tree that crashes the
    // evaluator with a JavaScript TypeError (jmespath's own type errors are plain Errors).
    try {
      jmespath.search({}, source);
    } catch (e) {
      if (e instanceof TypeError) throw e;
    }
  } catch (err) {
    throw new UsageError(
      `${flag}: "${source}" is not a valid JMESPath expression (${(err as Error).message}).`,
      "Examples: json.errorType == 'Timeout', receiveCount > `3`, contains(body, 'refund'). See 'sqsctl help filters'.",
    );
  }
  return {
    source,
    evaluate(env) {
      return jmespath.search(filterView(env), source);
    },
  };
}

/** A predicate: JMESPath truthiness (false, null, empty string/array/object are false). */
export function compileFilter(source: string, flag = "--filter"): (env: Envelope) => boolean {
  const expr = compileExpression(source, flag);
  return (env) => isTruthy(expr.evaluate(env));
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
