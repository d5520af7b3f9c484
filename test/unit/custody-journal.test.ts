import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  bindingMismatch,
  findUnfinishedMove,
  Journal,
  MoveJournal,
  moveState,
  newMoveJournalPath,
  readJournal,
  removeStaleSpools,
  SendJournal,
  sendState,
  stateDir,
  type JournalBinding,
} from "../../src/sqs/custody/journal.js";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sqsctl-journal-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const bind: JournalBinding = { kind: "send-batch", endpoint: "http://127.0.0.1:4566", account: "000000000000", queue: "http://127.0.0.1:4566/000000000000/q" };

describe("journal format", () => {
  test("a torn last record plus a resume: the next record starts on its own line and the torn one is unknown, never done", () => {
    // GIVEN a journal whose last record was cut short mid-write
    const file = path.join(dir, "j.journal");
    const j = Journal.open(file, bind, { sha256: "x" }, { fresh: true });
    const w = new SendJournal(j);
    w.started([1, 2, 3]);
    w.sent([1]);
    w.started([4, 5]);
    w.sent([2, 3]);
    j.close();
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text.slice(0, text.length - 8)); // tear "S 2,3"
    // WHEN a resume appends to it
    const j2 = Journal.open(file, bind, {}, { fresh: false });
    new SendJournal(j2).sent([4]);
    j2.close();
    // THEN the torn record is unreadable, its lines are unknown (not confirmed), and 4 is confirmed
    const s = sendState(readJournal(file)!);
    expect(s.unreadable).toBe(1);
    expect([1, 2, 3, 4, 5].map((n) => s.confirmed.has(n))).toEqual([true, false, false, true, false]);
    expect([2, 3, 5].every((n) => s.unknown.has(n))).toBe(true);
  });

  test("an edited record fails its checksum and counts as unreadable", () => {
    const file = path.join(dir, "e.journal");
    const j = Journal.open(file, bind, {}, { fresh: true });
    new SendJournal(j).sent([7]);
    j.close();
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('"l":[7]', '"l":[8]'));
    const s = sendState(readJournal(file)!);
    expect(s.confirmed.has(8)).toBe(false);
    expect(s.confirmed.has(7)).toBe(false);
    expect(s.unreadable).toBe(1);
  });

  test("a finished record is seen, and a later run's records cancel it", () => {
    const file = path.join(dir, "f.journal");
    const j = Journal.open(file, bind, {}, { fresh: true });
    j.finish({ sent: 3 });
    j.close();
    expect(readJournal(file)!.finished).toEqual({ sent: 3 });
    const j2 = Journal.open(file, bind, {}, { fresh: false });
    j2.close();
    expect(readJournal(file)!.finished).toBeUndefined();
  });

  test("a journal is bound to endpoint, account and queue", () => {
    expect(bindingMismatch(bind, bind)).toBe("");
    expect(bindingMismatch({ ...bind, endpoint: "http://127.0.0.1:9999" }, bind)).toContain("endpoint http://127.0.0.1:9999");
    expect(bindingMismatch({ ...bind, account: "1" }, bind)).toContain("account 1");
  });

  test("the periodic fsync runs in the background: append never blocks on fsyncSync, close() fsyncs before it returns", async () => {
    const syncSpy = vi.spyOn(fs, "fsyncSync");
    const asyncSpy = vi.spyOn(fs, "fsync");
    try {
      // GIVEN a journal whose fsync period has passed (1 ms; wait on the clock, not a sleep)
      const file = path.join(dir, "bg.journal");
      const j = Journal.open(file, bind, {}, { fresh: true, fsyncMs: 1 });
      const w = new SendJournal(j);
      const t0 = performance.now();
      while (performance.now() - t0 < 2);
      // WHEN records are appended
      w.started([1, 2]);
      w.sent([1, 2]);
      // THEN the fsync was started in the thread pool, not on the event loop
      expect(syncSpy).not.toHaveBeenCalled();
      expect(asyncSpy).toHaveBeenCalledTimes(1);
      // and close() makes everything durable (blocking) before it returns, with a background fsync still in flight
      j.close();
      expect(syncSpy).toHaveBeenCalledTimes(1);
      expect(sendState(readJournal(file)!).confirmed.has(2)).toBe(true);
    } finally {
      syncSpy.mockRestore();
      asyncSpy.mockRestore();
    }
  });

  test("a background fsync that fails is thrown by the next append, not lost", async () => {
    const eio = Object.assign(new Error("EIO: i/o error, fsync"), { code: "EIO" });
    const asyncSpy = vi.spyOn(fs, "fsync").mockImplementation(((_fd: number, cb: (err: Error | null) => void) => cb(eio)) as never);
    try {
      const j = Journal.open(path.join(dir, "eio.journal"), bind, {}, { fresh: true, fsyncMs: 1 });
      const w = new SendJournal(j);
      const t0 = performance.now();
      while (performance.now() - t0 < 2);
      w.started([1]);
      expect(asyncSpy).toHaveBeenCalledTimes(1);
      // the failure arrives on a later turn of the event loop
      await new Promise((resolve) => setImmediate(resolve));
      expect(() => w.started([2])).toThrow(/EIO/);
      await expect(j.durable()).rejects.toThrow(/EIO/);
    } finally {
      asyncSpy.mockRestore();
    }
  });

  test("a confirmation rides with the next record's write; close() and durable() write one still waiting", async () => {
    const file = path.join(dir, "later.journal");
    const j = Journal.open(file, bind, {}, { fresh: true, fsyncMs: 60_000 });
    const w = new SendJournal(j);
    const writes = vi.spyOn(fs, "writeSync");
    try {
      w.started([1, 2]);
      w.sent([1, 2]);
      w.started([3]);
      // B, then S + B in one write(2)
      expect(writes).toHaveBeenCalledTimes(2);
      expect(sendState(readJournal(file)!).confirmed.has(1)).toBe(true);
      w.sent([3]);
      expect(sendState(readJournal(file)!).confirmed.has(3)).toBe(false);
      await j.durable();
      expect(sendState(readJournal(file)!).confirmed.has(3)).toBe(true);
      w.started([4]);
      w.sent([4]);
      j.close();
      const s = sendState(readJournal(file)!);
      expect([1, 2, 3, 4].every((n) => s.confirmed.has(n))).toBe(true);
      expect(s.unknown.size).toBe(0);
    } finally {
      writes.mockRestore();
    }
  });

  test("durable() group-commits: concurrent callers share fsyncs", async () => {
    const j = Journal.open(path.join(dir, "d.journal"), bind, {}, { fresh: true, fsyncMs: 60_000 });
    const before = j.syncs;
    await Promise.all(Array.from({ length: 20 }, () => j.durable()));
    expect(j.syncs - before).toBeLessThanOrEqual(2);
    j.close();
  });
});

describe("move journal", () => {
  const mb: JournalBinding = { ...bind, kind: "redrive" };

  test("sending/sent/deleted give what a resume must do; only the same endpoint's unfinished journal is found", () => {
    const env = { XDG_STATE_HOME: dir };
    const file = newMoveJournalPath(env, mb, "dlq");
    expect(file.startsWith(path.join(stateDir(env), "journals"))).toBe(true);
    const mj = new MoveJournal(Journal.open(file, mb, { holdSeconds: 30 }, { fresh: true }), moveState(undefined));
    mj.sending("t", ["a", "b", "c"]);
    mj.sent([{ id: "a", to: "t", tid: "x" }, { id: "b", to: "t", tid: "y" }]);
    mj.deleted(["a"]);
    mj.close();
    const s = moveState(readJournal(file));
    expect(s.unfinished).toBe(true);
    expect([...s.sentNotDeleted.keys()]).toEqual(["b"]);
    expect([...s.maybeSent]).toEqual([["c", 1]]);
    expect(s.deleted.has("a")).toBe(true);
    expect(findUnfinishedMove(env, mb, "dlq")).toBe(file);
    expect(findUnfinishedMove(env, { ...mb, endpoint: "http://127.0.0.1:1" }, "dlq")).toBeUndefined();
  });
});

describe("move journal across several stopped runs (issue 15 #6)", () => {
  const mb: JournalBinding = { ...bind, kind: "redrive" };
  const open = (file: string) => new MoveJournal(Journal.open(file, mb, { holdSeconds: 30 }, { fresh: false }), moveState(readJournal(file)));

  test("a message two stopped runs were sending counts as two possible copies", () => {
    const file = path.join(dir, "two-kills.journal");
    fs.rmSync(file, { force: true });
    // GIVEN run 1 and run 2 each killed while "m" was in a send
    for (let run = 0; run < 2; run++) {
      const mj = open(file);
      mj.sending("t", ["m"]);
      mj.close();
    }
    // THEN the next run knows each may have left a copy in the target
    const s = moveState(readJournal(file));
    expect(s.maybeSent.get("m")).toBe(2);
    expect(s.ambiguousUnreported).toBe(0);
  });

  test("a copy a stopped run may have sent, then sent for sure by a later stopped run, is an unreported possible duplicate", () => {
    const file = path.join(dir, "sent-by-later.journal");
    fs.rmSync(file, { force: true });
    // GIVEN run 1 killed while sending "m"; run 2 sent "m" (confirmed) and was killed before its delete
    const one = open(file);
    one.sending("t", ["m"]);
    one.close();
    const two = open(file);
    expect(two.earlierMaybeSent.get("m")).toBe(1);
    two.sending("t", ["m"]);
    two.sent([{ id: "m", to: "t", tid: "x" }]);
    two.close();
    // THEN run 3 will not send "m" again (sent, not deleted) but still reports run 1's possible copy,
    // which run 2 never got to report
    const s = moveState(readJournal(file));
    expect([...s.sentNotDeleted.keys()]).toEqual(["m"]);
    expect(s.maybeSent.has("m")).toBe(false);
    expect(s.ambiguousUnreported).toBe(1);
    // AND once a run finishes (its summary reported it), it is no longer unreported
    const three = open(file);
    three.deleted(["m"]);
    three.finish({});
    three.close();
    expect(moveState(readJournal(file))).toMatchObject({ ambiguousUnreported: 0, unfinished: false });
  });
});

test("stale stdin spools of dead processes are removed", () => {
  const env = { XDG_STATE_HOME: dir };
  const spool = path.join(stateDir(env), "spool");
  fs.mkdirSync(spool, { recursive: true });
  fs.writeFileSync(path.join(spool, "stdin-999999999-abcd.ndjson"), "x");
  fs.writeFileSync(path.join(spool, `stdin-${process.pid}-abcd.ndjson`), "x");
  expect(removeStaleSpools(env)).toBe(1);
  expect(fs.readdirSync(spool)).toEqual([`stdin-${process.pid}-abcd.ndjson`]);
});

describe("unknown-outcome attempts are journaled as they happen (issue 15 #6)", () => {
  test("send: A records count per line and attempt, for a resume after a kill", () => {
    const file = path.join(dir, "a.journal");
    const w = new SendJournal(Journal.open(file, bind, {}, { fresh: true }));
    w.started([1, 2]);
    w.ambiguous([1, 2]); // an attempt dropped after the server acted; the SDK retried
    w.sent([1, 2]);
    w.journal.close(); // killed before any summary
    expect(sendState(readJournal(file)!).ambiguous).toBe(2);
  });

  test("move: ambiguous ids since the last finished run are the ones no summary reported", () => {
    const mb: JournalBinding = { ...bind, kind: "redrive" };
    const file = path.join(dir, "m.journal");
    const j1 = new MoveJournal(Journal.open(file, mb, {}, { fresh: true }), moveState(undefined));
    j1.ambiguous(["a"]);
    j1.finish({});
    j1.close();
    expect(moveState(readJournal(file)).ambiguousUnreported).toBe(0);
    const j2 = new MoveJournal(Journal.open(file, mb, {}, { fresh: false }), moveState(readJournal(file)));
    j2.ambiguous(["b", "c"]);
    j2.close();
    const s = moveState(readJournal(file));
    expect(s.unfinished).toBe(true);
    expect(s.ambiguousUnreported).toBe(2);
  });
});
