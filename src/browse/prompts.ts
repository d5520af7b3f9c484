/**
 * The terminal side of browse: the picker and viewer prompts (built on @inquirer/core
 * from the pure state machines in picker-state.ts and viewer.ts) and the stock
 * select/confirm/input prompts, all drawn on stderr so stdout stays clean for
 * "copy bodies". Ctrl-C, or the command's abort signal, at any prompt becomes `Leave`.
 */
import { createPrompt, useEffect, useKeypress, useRef, useState } from "@inquirer/core";
import type { Envelope } from "../core/envelope.js";
import type { Paint } from "./list.js";
import type { ListItem } from "./list.js";
import { initialState, reduce, renderPicker, listRows, type Key, type PickerResult, type PickerState } from "./picker-state.js";
import { layout, messageLines, reduceViewer, renderViewer, type ViewerState } from "./viewer.js";

/** The user left (Ctrl-C at a prompt, or SIGINT/SIGTERM): release everything and go. */
export class Leave extends Error {
  constructor() {
    super("Interrupted.");
  }
}

/** The terminal the prompts draw on. */
export interface Screen {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream & { columns?: number; rows?: number; on?(event: "resize", cb: () => void): unknown; off?(event: "resize", cb: () => void): unknown };
  signal: AbortSignal;
  paint: Paint;
  /** Clock for message ages; tests fix it. */
  now?: () => number;
}

const size = (s: Screen) => ({ width: s.output.columns || 80, rows: s.output.rows || 24 });

/** Redraws a prompt when the terminal is resized. */
function useResize(screen: Screen): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const onResize = () => setTick(Date.now());
    screen.output.on?.("resize", onResize);
    return () => {
      screen.output.off?.("resize", onResize);
    };
  }, []);
}

interface PickerConfig {
  title: string;
  state: PickerState;
  screen: Screen;
  /** Receives the state on every change so the caller can restore it next time. */
  onState(state: PickerState): void;
  /** Subscribes to changes outside the prompt (a hold that lapsed) that must redraw it. */
  watch?: ((redraw: () => void) => () => void) | undefined;
}

const pickerPrompt = createPrompt<PickerResult, PickerConfig>((config, done) => {
  const [state, setState] = useState(config.state);
  const [finished, setFinished] = useState(false);
  const startRef = useRef(config.state.start);
  useResize(config.screen);
  const [, setTick] = useState(0);
  useEffect(() => config.watch?.(() => setTick(Date.now())), []);
  useKeypress((key, rl) => {
    if (finished) return;
    // Letters are ours (search text, shortcuts); keep readline's own line buffer empty.
    rl.clearLine(0);
    const { rows } = size(config.screen);
    const next = reduce({ ...state, start: startRef.current }, key as Key, listRows(rows));
    setState(next.state);
    config.onState(next.state);
    if (next.result) {
      setFinished(true);
      done(next.result);
    }
  });
  const { width, rows } = size(config.screen);
  if (finished) return config.title;
  const view = renderPicker({ ...state, start: startRef.current }, { title: config.title, width, rows, now: (config.screen.now ?? Date.now)(), paint: config.screen.paint });
  startRef.current = view.start;
  return [view.top, view.bottom];
});

/** Shows the list until the user acts on messages (enter) or leaves (q, Esc: `quit`). */
export async function pickMessages(
  screen: Screen,
  title: string,
  items: ListItem[],
  previous?: Partial<PickerState>,
  watch?: (redraw: () => void) => () => void,
): Promise<{ result: PickerResult; state: PickerState }> {
  let last = initialState(items, previous);
  const result = await guard(
    pickerPrompt({ title, state: last, screen, onState: (s) => (last = s), watch }, { input: screen.input, output: screen.output, signal: screen.signal, clearPromptOnDone: true }),
  );
  return { result, state: last };
}

interface ViewerConfig {
  envs: Envelope[];
  screen: Screen;
}

const viewerPrompt = createPrompt<"back", ViewerConfig>((config, done) => {
  const [state, setState] = useState<ViewerState>({ index: 0, offset: 0 });
  const [finished, setFinished] = useState(false);
  useResize(config.screen);
  const { width, rows } = size(config.screen);
  const now = useRef((config.screen.now ?? Date.now)()).current;
  const cache = useRef(new Map<string, string[]>()).current;
  const lay = (env: Envelope, w: number) => {
    const key = `${config.envs.indexOf(env)}:${w}`;
    let lines = cache.get(key);
    if (!lines) cache.set(key, (lines = layout(messageLines(env, now), w, config.screen.paint)));
    return lines;
  };
  const view = renderViewer(config.envs, state, { width, rows, now, paint: config.screen.paint }, lay);
  useKeypress((key, rl) => {
    if (finished) return;
    rl.clearLine(0);
    const next = reduceViewer(state, key as Key, { count: config.envs.length, lines: view.lines, page: view.page });
    setState(next.state);
    if (next.result) {
      setFinished(true);
      done(next.result);
    }
  });
  if (finished) return "";
  return [view.top, view.bottom];
});

/** Shows the selected messages one screen at a time until the user goes back. */
export async function viewMessages(screen: Screen, envs: Envelope[]): Promise<void> {
  await guard(viewerPrompt({ envs, screen }, { input: screen.input, output: screen.output, signal: screen.signal, clearPromptOnDone: true }));
}

/**
 * Runs a stock inquirer prompt with Esc meaning "no / back" (`escAnswer`) rather than
 * nothing at all; Ctrl-C still leaves.
 */
async function withEsc<T>(screen: Screen, escAnswer: T, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const esc = new AbortController();
  const onKey = (_: unknown, key: Key | undefined) => {
    if (key?.name === "escape") esc.abort();
  };
  screen.input.on("keypress", onKey);
  try {
    return await guard(run(AbortSignal.any([screen.signal, esc.signal])));
  } catch (err) {
    if (esc.signal.aborted && !screen.signal.aborted) return escAnswer;
    throw err;
  } finally {
    screen.input.off("keypress", onKey);
  }
}

const ctx = (screen: Screen, signal: AbortSignal) => ({ input: screen.input, output: screen.output, signal });

/** A menu; Esc picks `escValue` (usually "back"). */
export async function choose<T extends string>(
  screen: Screen,
  message: string,
  choices: Array<{ name: string; value: T; description?: string }>,
  escValue: T,
  defaultValue?: T,
): Promise<T> {
  const { select } = await import("@inquirer/prompts");
  // The menu disappears once answered: the result line that follows says what happened.
  return withEsc(screen, escValue, (signal) =>
    select<T>(
      { message, choices, pageSize: Math.min(choices.length, 12), loop: false, ...(defaultValue !== undefined ? { default: defaultValue } : {}) },
      { ...ctx(screen, signal), clearPromptOnDone: true },
    ),
  );
}

/** A searchable list of names (queues); Esc answers undefined. */
export async function chooseName(screen: Screen, message: string, names: string[]): Promise<string | undefined> {
  const { search } = await import("@inquirer/prompts");
  const pageSize = Math.max(3, Math.min(15, (screen.output.rows || 24) - 6));
  return withEsc<string | undefined>(screen, undefined, (signal) =>
    search<string>(
      {
        message,
        pageSize,
        source: (term) => names.filter((n) => !term || n.toLowerCase().includes(term.toLowerCase())).map((n) => ({ name: n, value: n })),
      },
      ctx(screen, signal),
    ),
  );
}

/** Yes/no, default no; Esc answers no. */
export async function confirm(screen: Screen, message: string): Promise<boolean> {
  const { confirm: ask } = await import("@inquirer/prompts");
  return withEsc(screen, false, (signal) => ask({ message, default: false }, ctx(screen, signal)));
}

/** A line of text; Esc answers undefined. */
export async function ask(screen: Screen, message: string, defaultValue?: string): Promise<string | undefined> {
  const { input } = await import("@inquirer/prompts");
  return withEsc<string | undefined>(screen, undefined, (signal) =>
    input({ message, ...(defaultValue !== undefined ? { default: defaultValue, prefill: "editable" as const } : {}) }, ctx(screen, signal)),
  );
}

/** Turns inquirer's "the user pressed Ctrl-C" and "aborted" errors into `Leave`. */
async function guard<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    const name = (err as Error)?.name;
    if (name === "ExitPromptError") throw new Leave();
    if (name === "AbortPromptError") throw new Leave();
    throw err;
  }
}
