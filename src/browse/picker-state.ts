/**
 * The searchable multi-select list as a pure state machine: a key goes in, the next
 * state (and maybe a result) comes out, and `renderPicker` draws a state. The prompt in
 * picker.ts only wires these to the terminal, so the behaviour is unit-tested here.
 */
import { matches, renderRow, textWidth, truncate, windowStart, type ListItem, type Paint, plainPaint } from "./list.js";

/** A keypress as node:readline reports it. */
export interface Key {
  name?: string;
  sequence?: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
}

export interface PickerState {
  items: ListItem[];
  query: string;
  /** True while the user types a search (after "/"): letters go to the query. */
  searching: boolean;
  /** Index into the visible (searched) items. */
  cursor: number;
  /** First visible index of the window, kept between renders so it does not jump. */
  start: number;
  /** Selected MessageIds. */
  checked: ReadonlySet<string>;
  /** A one-line note shown under the list (e.g. "select a message first"). */
  note?: string;
}

export type PickerResult = { kind: "act"; ids: string[] } | { kind: "view"; ids: string[] } | { kind: "quit" } | { kind: "reload" };

export function initialState(items: ListItem[], previous?: Partial<PickerState>): PickerState {
  const ids = new Set(items.map((i) => i.id));
  const state: PickerState = {
    items,
    query: previous?.query ?? "",
    searching: false,
    cursor: previous?.cursor ?? 0,
    start: previous?.start ?? 0,
    checked: new Set([...(previous?.checked ?? [])].filter((id) => ids.has(id))),
  };
  return clampCursor(state);
}

/** The items the search lets through, in list order. */
export function visibleItems(state: PickerState): ListItem[] {
  return state.query ? state.items.filter((i) => matches(i, state.query)) : state.items;
}

function clampCursor(state: PickerState): PickerState {
  const n = visibleItems(state).length;
  const cursor = Math.max(0, Math.min(state.cursor, n - 1));
  return cursor === state.cursor ? state : { ...state, cursor };
}

function move(state: PickerState, delta: number): PickerState {
  const n = visibleItems(state).length;
  if (n === 0) return state;
  return { ...state, cursor: Math.max(0, Math.min(n - 1, state.cursor + delta)) };
}

function toggle(state: PickerState): PickerState {
  const item = visibleItems(state)[state.cursor];
  if (!item) return state;
  const checked = new Set(state.checked);
  if (checked.has(item.id)) checked.delete(item.id);
  else checked.add(item.id);
  return { ...state, checked };
}

/** Selects every visible item, or clears them when all are already selected. */
function toggleAll(state: PickerState): PickerState {
  const visible = visibleItems(state);
  const checked = new Set(state.checked);
  const all = visible.length > 0 && visible.every((i) => checked.has(i.id));
  for (const i of visible) {
    if (all) checked.delete(i.id);
    else checked.add(i.id);
  }
  return { ...state, checked };
}

/** A printable character typed, or undefined for keys that are not text. */
function typed(key: Key): string | undefined {
  if (key.ctrl || key.meta) return undefined;
  const s = key.sequence;
  if (s === undefined || Array.from(s).length !== 1) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are not text
  return /[\u0000-\u001f\u007f]/.test(s) ? undefined : s;
}

const isUp = (k: Key) => k.name === "up" || (k.ctrl === true && k.name === "p");
const isDown = (k: Key) => k.name === "down" || (k.ctrl === true && k.name === "n");
const isEnter = (k: Key) => k.name === "return" || k.name === "enter";

/** Lines one page key moves. */
export const PAGE = 10;

/** Applies one key. Ctrl-C never reaches here: the prompt turns it into "leave". */
export function reduce(state: PickerState, key: Key, pageSize = PAGE): { state: PickerState; result?: PickerResult } {
  const s: PickerState = state.note ? { ...state, note: undefined } : state;
  if (isUp(key)) return { state: move(s, -1) };
  if (isDown(key)) return { state: move(s, 1) };
  if (key.name === "pageup") return { state: move(s, -pageSize) };
  if (key.name === "pagedown") return { state: move(s, pageSize) };
  if (key.name === "home") return { state: move(s, -Infinity) };
  if (key.name === "end") return { state: move(s, Infinity) };
  if (key.name === "tab") return { state: move(toggle(s), 1) };

  if (s.searching) {
    if (isEnter(key)) return { state: { ...s, searching: false } };
    if (key.name === "escape") return { state: { ...s, searching: false, query: "", cursor: 0 } };
    if (key.name === "backspace") return { state: clampCursor({ ...s, query: Array.from(s.query).slice(0, -1).join("") }) };
    if (key.ctrl && key.name === "u") return { state: { ...s, query: "", cursor: 0 } };
    const ch = typed(key);
    if (ch !== undefined) return { state: { ...s, query: s.query + ch, cursor: 0 } };
    return { state: s };
  }

  if (key.name === "space") return { state: toggle(s) };
  if (isEnter(key)) {
    const visible = visibleItems(s);
    if (s.checked.size > 0) {
      // List order, not the order the user ticked them in.
      return { state: s, result: { kind: "act", ids: s.items.filter((i) => s.checked.has(i.id)).map((i) => i.id) } };
    }
    const current = visible[s.cursor];
    if (!current) return { state: { ...s, note: "Nothing to act on here." } };
    return { state: s, result: { kind: "act", ids: [current.id] } };
  }
  if (key.name === "escape" || (key.name === "q" && !key.ctrl && !key.meta && !key.shift)) {
    return { state: s, result: { kind: "quit" } };
  }
  const ch = typed(key);
  if (ch === "/") return { state: { ...s, searching: true } };
  if (ch === "a") return { state: toggleAll(s) };
  if (ch === "r") return { state: s, result: { kind: "reload" } };
  if (ch === "v") {
    const current = visibleItems(s)[s.cursor];
    return current ? { state: s, result: { kind: "view", ids: [current.id] } } : { state: s };
  }
  if (ch === "k") return { state: move(s, -1) };
  if (ch === "j") return { state: move(s, 1) };
  if (ch === "g") return { state: move(s, -Infinity) };
  if (ch === "G") return { state: move(s, Infinity) };
  if (ch !== undefined && ch !== " ") {
    return { state: { ...s, note: `Press / to search, space to select, enter to act, v to view, r to receive more, q to leave.` } };
  }
  return { state: s };
}

export interface RenderOptions {
  title: string;
  width: number;
  /** Terminal rows: the whole prompt stays within rows - 1 so its redraw never scrolls. */
  rows: number;
  now: number;
  paint?: Paint;
}

/** Lines above and below the list: title, blank-free status, footer. */
const CHROME_LINES = 3;

/** Rows the list can use at this terminal height. */
export function listRows(rows: number): number {
  return Math.max(3, rows - 1 - CHROME_LINES);
}

/**
 * Draws the picker: `top` is the title line (the terminal cursor ends there, after
 * the search text), `bottom` the list, a status line and the key help.
 */
export function renderPicker(state: PickerState, opts: RenderOptions): { top: string; bottom: string; start: number } {
  const p = opts.paint ?? plainPaint;
  const width = Math.max(20, opts.width);
  const visible = visibleItems(state);
  const size = listRows(opts.rows);
  const start = windowStart(state.cursor, visible.length, size, state.start);
  const lines = visible
    .slice(start, start + size)
    .map((item, i) => renderRow(item, { now: opts.now, width, active: start + i === state.cursor, checked: state.checked.has(item.id), paint: p }));
  if (visible.length === 0) {
    lines.push(p.dim(state.items.length === 0 ? "  (no messages)" : `  (no message matches "${truncate(state.query, width - 30)}")`));
  }

  // The query is shown from its end when long, so what is being typed stays on screen.
  const room = Math.max(10, width - textWidth(opts.title) - 30);
  const q = Array.from(state.query);
  const shownQuery = q.length > room ? `…${q.slice(q.length - room + 1).join("")}` : state.query;
  const search = state.searching || state.query ? `  ${p.dim("search:")} ${p.cyan(shownQuery)}${state.searching ? "" : p.dim(" (/ to change)")}` : "";
  // One line whatever the terminal: a wrapped title would push the list down and break the redraw.
  const top = truncate(`${p.bold(opts.title)}${search}`, width - 1);

  const shown =
    visible.length > size ? `showing ${start + 1}-${Math.min(start + size, visible.length)} of ${visible.length}` : state.query ? `${visible.length} match` : "";
  const lost = state.items.filter((i) => i.lost).length;
  const target = state.searching ? "" : state.checked.size ? `enter acts on the ${state.checked.size} selected` : visible.length ? "enter acts on the message at ❯" : "";
  const status = [`${state.items.length - lost} held`, lost ? `${lost} slipped out of the hold (!)` : "", shown, `${state.checked.size} selected`, target]
    .filter(Boolean)
    .join(" · ");
  const help = state.searching
    ? "type to search · ↑↓ move · tab select · enter done · esc clear search"
    : "↑↓ move · space select · enter act · /search · q quit · v view · a all · r more"; // 78 columns: whole on 80
  const footer = [
    state.note ? p.yellow(truncate(state.note, width - 1)) : p.dim(truncate(status, width - 1)),
    p.dim(truncate(help, width - 1)),
  ];
  return { top, bottom: [...lines, ...footer].join("\n"), start };
}
