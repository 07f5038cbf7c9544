/**
 * Text measured in terminal cells, not in UTF-16 code units: a wave name may hold any letter or
 * number the plan rules allow (`\p{L}`, `\p{N}`), and a CJK letter takes two cells. Without this,
 * a line cut to `columns` code units can still wrap, and a wrapped line is what made the live view
 * pile up copies.
 */

/**
 * East Asian Wide and Fullwidth letters and numbers: the ranges `\p{L}` and `\p{N}` can reach that
 * take two cells, in xterm.js (Unicode 6 tables) or in a terminal with newer ones (Tangut, Nushu).
 * Kept rather than string-width@4 (the last CommonJS one): its older table gives one cell to the
 * circled numbers U+3248–324F, which xterm.js draws in two, and to Nushu and the kana extensions.
 * Where terminals disagree the wider count is kept: a name one cell short of its column misaligns
 * a row, a name one cell too long wraps it.
 */
const WIDE: readonly [number, number][] = [
  [0x1100, 0x115f], // Hangul Jamo
  [0x2e80, 0x303e], // CJK radicals, Kangxi, CJK symbols
  [0x3041, 0x33ff], // Hiragana, Katakana, Bopomofo, Hangul compatibility, CJK compatibility
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f], // Hangul Jamo extended A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0xff00, 0xff60], // Fullwidth forms
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4], // Tangut and Nushu iteration marks
  [0x17000, 0x18cff], // Tangut, Tangut components, Khitan small script
  [0x18d00, 0x18d08], // Tangut supplement
  [0x1aff0, 0x1afff], // Kana extended B
  [0x1b000, 0x1b2ff], // Kana supplement and extensions, Nushu
  [0x20000, 0x3fffd], // CJK extensions B and later
];

function cellsOf(codePoint: number): number {
  for (const [from, to] of WIDE) if (codePoint >= from && codePoint <= to) return 2;
  return 1;
}

/** How many terminal cells `text` takes (no escape sequences in it). */
export function cellWidth(text: string): number {
  let width = 0;
  for (const char of text) width += cellsOf(char.codePointAt(0) ?? 0);
  return width;
}

/** `text` cut to at most `width` cells, ending in `…` when cut. */
export function truncateCells(text: string, width: number): string {
  if (cellWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const char of text) {
    const cells = cellsOf(char.codePointAt(0) ?? 0);
    if (used + cells > width - 1) break;
    out += char;
    used += cells;
  }
  return `${out}…`;
}

/** `text` cut or padded with spaces to exactly `width` cells. */
export function padCells(text: string, width: number): string {
  const cut = truncateCells(text, width);
  return cut + ' '.repeat(Math.max(0, width - cellWidth(cut)));
}
