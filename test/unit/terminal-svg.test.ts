import { expect, test } from "vitest";
// @ts-expect-error -- a plain .mjs script module without types
import { color256, renderSvg } from "../../scripts/lib/terminal-svg.mjs";

type Cell = { ch: string; fg?: string; bold?: boolean };
const row = (text: string, style: Omit<Cell, "ch"> = {}): Cell[] => [...text].map((ch) => ({ ch, ...style }));

test("each styled run is placed at its column, with XML escaped", () => {
  const svg: string = renderSvg([[...row("$", { fg: "#98c379" }), ...row(" "), ...row("a<b & 'c'", { bold: true })], row("│  x")], { title: "t" });
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('<tspan x="18.0" fill="#98c379">$</tspan><tspan x="34.8" fill="#d7dae0" class="b">a&lt;b &amp; \'c\'</tspan>');
  // Two spaces break a run, so the x stays anchored to the column.
  expect(svg).toContain('<tspan x="18.0" fill="#d7dae0">│</tspan><tspan x="43.2" fill="#d7dae0">x</tspan>');
  expect(svg.trim().endsWith("</svg>")).toBe(true);
});

test("the 256-colour palette maps the cube and the greys", () => {
  expect(color256(16)).toBe("#000000");
  expect(color256(196)).toBe("#ff0000");
  expect(color256(232)).toBe("#080808");
});
