// `--help` on a terminal without the command tree. Commander wraps help to the terminal's
// width, so a terminal cannot be answered with one fixed text (dist/help.json holds the
// 80-column text a pipe gets). scripts/build.mjs captures each command's help as a
// template: Commander's output with every width-dependent piece (an item's wrapped
// description, the command's description) left as a token and its inputs kept. At run
// time bin/sqsctl.js fills the tokens in with Commander's own Help.formatItem/boxWrap at
// the terminal's width, exactly as Commander does. The build resolves this module's
// "commander" import to commander's lib/help.js alone (no Command, no tree): see
// scripts/build.mjs.
import { Help, type Command } from "commander";

/** A width-dependent piece: an item (term, padded term width, description) or a text box-wrapped to the help width. */
export type HelpPart = ["item", string, number, string] | ["wrap", string];
export interface HelpTemplate {
  text: string;
  parts: HelpPart[];
}

const TOKEN = /\u0000(\d+)\u0000/g;

/**
 * The help text for a terminal `columns` wide (process.stdout.columns; undefined for a
 * pipe), as Commander prints it: same width rule (Help.prepareContext), same wrapping.
 */
export function renderHelp(t: HelpTemplate, columns: number | undefined): string {
  const helper = new Help();
  // No help text has an escape code (scripts/build.mjs refuses one): its display width is its length.
  helper.displayWidth = (str: string) => str.length;
  helper.prepareContext({ helpWidth: columns });
  const width = helper.helpWidth ?? 80;
  return t.text.replace(TOKEN, (_, i: string) => {
    const part = t.parts[Number(i)]!;
    return part[0] === "item" ? helper.formatItem(part[1], part[2], part[3], helper) : helper.boxWrap(part[1], width);
  });
}

/** Wider than any help line: nothing wraps. */
const UNWRAPPED = 10_000;

/**
 * Build time: the help as a terminal `fits` columns wide or wider prints it (nothing
 * wraps there), so bin/sqsctl.js can print `text` on such a terminal without rendering.
 * Checked width by width up to `checkUpTo`; when some width disagrees (a description with
 * trailing spaces, which Commander keeps only when it does not wrap), `fits` is Infinity.
 */
export function wideHelp(t: HelpTemplate, checkUpTo = 400): { fits: number; text: string } {
  const text = renderHelp(t, UNWRAPPED);
  const fits = Math.max(...text.split("\n").map((line) => line.length));
  for (let w = fits; w <= Math.max(fits, checkUpTo); w++) if (renderHelp(t, w) !== text) return { fits: Number.POSITIVE_INFINITY, text };
  return { fits, text };
}

/**
 * Build time: prints `cmd`'s help (all of it: the texts added before and after too) into
 * `capture` with the width-dependent pieces as tokens. `captureWidth` is the width
 * Commander is told; a box-wrap at any other width means Commander wraps something this
 * module does not know about, and the build stops rather than write a wrong table.
 */
export function helpTemplate(cmd: Command, capture: () => string, captureWidth = 80): HelpTemplate {
  const parts: HelpPart[] = [];
  const token = (part: HelpPart) => `\u0000${parts.push(part) - 1}\u0000`;
  cmd.configureHelp({
    formatItem: (term, termWidth, description) => token(["item", term, termWidth, description]),
    boxWrap: (str, width) => {
      if (width !== captureWidth) throw new Error(`help template: Commander wrapped a text at ${width} columns, not the help width; update src/help/terminal.ts`);
      return token(["wrap", str]);
    },
  });
  cmd.configureOutput({ getOutHelpWidth: () => captureWidth, getOutHasColors: () => false });
  try {
    cmd.outputHelp();
    return { text: capture(), parts };
  } finally {
    cmd.configureHelp({});
  }
}
