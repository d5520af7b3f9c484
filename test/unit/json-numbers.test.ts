import { describe, expect, test } from "vitest";
import { lossyNumber } from "../../src/core/json-numbers.js";
import { parseInputLine, type InputRules } from "../../src/core/message-input.js";

const rules: InputRules = { raw: false, fifo: false, contentBasedDedup: false, maxMessageSize: 262_144 };

describe("NDJSON numbers that would not survive as written are refused", () => {
  test.each([
    ['{"body": "x", "messageAttributes": {"id": 12345678901234567890}}', "12345678901234567890", "12345678901234567000"],
    ['{"body": "x", "messageAttributes": {"price": 1.10}}', "1.10", "1.1"],
    ['{"body": {"amount": 0.0000001}}', "0.0000001", "1e-7"],
    ['{"body": {"n": 1e3}}', "1e3", "1000"],
    ['{"body": {"n": -0}}', "-0", "0"],
    ['{"body": "x", "messageAttributes": {"n": {"DataType": "Number", "StringValue": 9007199254740993}}}', "9007199254740993", "9007199254740992"],
  ])("%s", (line, written, becomes) => {
    expect(lossyNumber(line)).toEqual({ written, becomes });
    const r = parseInputLine(line, 7, rules);
    expect(r.kind).toBe("invalid");
    const reason = (r as { reason: string }).reason;
    expect(reason).toContain(`the number ${written} would be sent as ${becomes}`);
    expect(reason).toContain(`write it as a string to keep it exactly: "${written}"`);
    expect(reason).toContain("38 digits");
  });

  test("numbers that survive, and digits inside strings, pass", () => {
    for (const line of [
      '{"body": "order 12345678901234567890 at 1.10", "messageAttributes": {"n": 3, "p": 1.5, "big": "12345678901234567890"}}',
      '{"body": {"amount": 250, "ratio": 0.25, "neg": -3}, "delaySeconds": 10}',
      '{"body": "x", "receiveCount": 4, "sentAt": "2026-11-22T09:15:00.000Z"}',
    ]) {
      expect(lossyNumber(line), line).toBeUndefined();
      expect(parseInputLine(line, 1, rules).kind, line).toBe("entry");
    }
  });

  test("the cheap pre-check never lets a changing number through (random numbers)", () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join("");
    for (let i = 0; i < 5000; i++) {
      const int = digits(1 + Math.floor(rand() * 22)).replace(/^0+(?=\d)/, "");
      const frac = rand() < 0.5 ? `.${digits(1 + Math.floor(rand() * 8))}` : "";
      const exp = rand() < 0.1 ? `e${rand() < 0.5 ? "-" : ""}${Math.floor(rand() * 30)}` : "";
      const text = `${rand() < 0.2 ? "-" : ""}${int}${frac}${exp}`;
      const changes = String(JSON.parse(text)) !== text;
      expect(lossyNumber(`{"body": {"n": ${text}}}`) !== undefined, text).toBe(changes);
    }
  });
});
