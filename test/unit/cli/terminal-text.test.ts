import { Terminal } from '@xterm/headless';
import { cellWidth, padCells, truncateCells } from '../../../cli/terminal-text';

/** Every letter and number a wave name may hold (the plan rules allow `\p{L}` and `\p{N}`) beyond ASCII. */
function nameCharacters(): string[] {
  const letterOrNumber = /^[\p{L}\p{N}]$/u;
  const chars: string[] = [];
  for (let codePoint = 0x80; codePoint <= 0x3ffff; codePoint++) {
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
    const char = String.fromCodePoint(codePoint);
    if (letterOrNumber.test(char)) chars.push(char);
  }
  return chars;
}

/** How many cells xterm.js gives each character: written between bars, read back from its buffer. */
async function widthsInXterm(chars: string[]): Promise<Map<string, number>> {
  const perLine = 250;
  const terminal = new Terminal({
    cols: 1000,
    rows: 10,
    scrollback: Math.ceil(chars.length / perLine) + 10,
    allowProposedApi: true,
  });
  const lines: string[][] = [];
  for (let i = 0; i < chars.length; i += perLine) lines.push(chars.slice(i, i + perLine));
  await new Promise<void>((resolve) => terminal.write(lines.map((l) => `|${l.join('|')}|`).join('\r\n'), resolve));
  const widths = new Map<string, number>();
  const buffer = terminal.buffer.active;
  lines.forEach((line, y) => {
    const row = buffer.getLine(y);
    // The bars' columns: a zero-width character joins the bar before it, so its bars are adjacent.
    const bars: number[] = [];
    for (let x = 0; x < terminal.cols; x++) if (row?.getCell(x)?.getChars().startsWith('|')) bars.push(x);
    for (const [i, char] of line.entries()) widths.set(char, (bars[i + 1] ?? Number.NaN) - (bars[i] ?? Number.NaN) - 1);
  });
  terminal.dispose();
  return widths;
}

describe('cellWidth', () => {
  it('never measures a character a wave name may hold narrower than xterm.js draws it', async () => {
    const chars = nameCharacters();
    const xterm = await widthsInXterm(chars);

    const narrower = chars.filter((char) => !(cellWidth(char) >= (xterm.get(char) ?? Number.NaN)));
    expect(narrower.map((char) => char.codePointAt(0)?.toString(16))).toEqual([]);
    // Two cells where xterm.js says two: the CJK ideographs, kana and Hangul syllables a name is likely to hold.
    for (const char of ['デ', 'ー', '復', '한', 'Ａ', '𠀋']) expect([cellWidth(char), xterm.get(char)]).toEqual([2, 2]);
  });

  it("measures the letters Unicode's East Asian Width calls wide, beyond xterm.js's Unicode 6 tables, as two cells", () => {
    // Tangut, Khitan Small Script, Katakana Minor Extension, Nushu: wide since Unicode 9-14, as newer terminals draw them.
    for (const char of ['\u{16FE0}', '\u{17000}', '\u{187F7}', '\u{18B00}', '\u{18D00}', '\u{1AFF0}', '\u{1B170}'])
      expect(cellWidth(char)).toBe(2);
  });
});

describe('truncateCells and padCells', () => {
  it('cut a wide name by its cells, ending in …, and pad it to the exact width', () => {
    expect(truncateCells('データベース', 7)).toBe('データ…');
    expect(cellWidth(padCells('データベース', 8))).toBe(8);
    expect(padCells('Web', 5)).toBe('Web  ');
  });
});
