import { afterEach, describe, expect, test } from "vitest";
import type { Envelope } from "../../src/core/envelope.js";
import { flushExpressionNotes, setExpressionSink } from "../../src/core/expression-notes.js";
import { compileFilter, compileGroupBy, compileQuery } from "../../src/core/filter.js";
import { UsageError } from "../../src/errors.js";

const msg = (body: unknown, extra: Partial<Envelope> = {}): Envelope => ({ messageId: "m", body: typeof body === "string" ? body : JSON.stringify(body), ...extra });
const timeouts = [msg({ errorType: "Timeout" }), msg({ errorType: "Throttled" }), msg({ errorType: "Timeout" })];

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error("expected a UsageError");
}

afterEach(() => {
  flushExpressionNotes();
  setExpressionSink(undefined);
});

describe("expression errors say what to write", () => {
  test("= instead of == is one line with the fix, no JavaScript internals", () => {
    const e = usageError(() => compileFilter("json.errorType = 'Timeout'"));
    expect(e.message).toBe(`--filter: "json.errorType = 'Timeout'": JMESPath compares with ==, not =.`);
    expect(e.hint).toBe(`Write: --filter "json.errorType == 'Timeout'"`);
    expect(`${e.message}${e.hint}`).not.toMatch(/TypeError|Cannot read|undefined/);
    // An = inside a quoted string is text, not an operator.
    expect(compileFilter("body == 'a=b'")(msg("a=b"))).toBe(true);
    expect(compileFilter("receiveCount >= `2`")({ ...msg("x"), receiveCount: 3 })).toBe(true);
  });

  test("a bare number gets the backtick fix, quoted for bash", () => {
    const e = usageError(() => compileFilter("receiveCount > 5"));
    expect(e.message).toContain("a number in JMESPath goes in backticks: `5`");
    expect(e.hint).toBe("Write it in single quotes so the shell leaves the backticks alone: --filter 'receiveCount > `5`'");
  });

  test("a malformed expression (a..b) is a usage error without a TypeError, for --group-by and --query too", () => {
    for (const [fn, flag] of [[() => compileFilter("a..b"), "--filter"], [() => compileGroupBy("a..b"), "--group-by"], [() => compileQuery("a..b"), "--query"]] as const) {
      const e = usageError(fn);
      expect(e.message).toBe(`${flag}: "a..b" is not a valid JMESPath expression.`);
    }
  });
});

describe("a compared field that no message has is reported", () => {
  test('GIVEN json.errorType == "Timeout" (a field in JMESPath) WHEN messages are looked at THEN it warns and names the single-quote fix', () => {
    const f = compileFilter('json.errorType == "Timeout"');
    expect(timeouts.map(f)).toEqual([false, false, false]);
    const [note, ...rest] = flushExpressionNotes();
    expect(rest).toEqual([]);
    expect(note).toContain(`"Timeout" is a field name in JMESPath`);
    expect(note).toContain("none of the 3 messages looked at has such a field");
    expect(note).toContain(`For text use single quotes: --filter "json.errorType == 'Timeout'"`);
    // Said once.
    expect(flushExpressionNotes()).toEqual([]);
  });

  test("!= with a double-quoted value (which matches everything) and a bare word are caught the same way", () => {
    compileFilter('json.errorType != "Timeout"')(timeouts[0]!);
    expect(flushExpressionNotes()[0]).toContain(`--filter "json.errorType != 'Timeout'"`);
    compileFilter("json.errorType == Timeout")(timeouts[0]!);
    expect(flushExpressionNotes()[0]).toContain(`--filter "json.errorType == 'Timeout'"`);
  });

  test("a misspelt path is named", () => {
    compileFilter("json.errrorType == 'Timeout'")(timeouts[0]!);
    expect(flushExpressionNotes()[0]).toContain("none of the 1 message looked at has json.errrorType");
  });

  test("no warning when some message has the field, or when nothing was looked at", () => {
    const f = compileFilter("json.errorType == 'Timeout'");
    [msg("not json"), ...timeouts].forEach(f);
    compileFilter('json.errorType == "Timeout"'); // compiled, never run
    expect(flushExpressionNotes()).toEqual([]);
  });

  test("a stream (tail) hears about it after 20 messages, without waiting for its end", () => {
    const said: string[] = [];
    setExpressionSink((t) => said.push(t));
    const f = compileFilter('json.errorType == "Timeout"');
    for (let i = 0; i < 19; i++) f(timeouts[0]!);
    expect(said).toEqual([]);
    f(timeouts[0]!);
    expect(said).toHaveLength(1);
    expect(flushExpressionNotes()).toEqual([]);
  });
});
