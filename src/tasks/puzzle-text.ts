// Wording shared by every family's error messages, so each one names the puzzle and the
// position the same way.

const quoteLimit = 90;

/** The puzzle string in quotes, shortened in the middle when it would swamp the message. */
export function quotePuzzle(text: string): string {
  if (text.length <= quoteLimit) return JSON.stringify(text);
  const half = Math.floor((quoteLimit - 3) / 2);
  return JSON.stringify(`${text.slice(0, half)}...${text.slice(-half)}`);
}

/** "row 2, column 3" for cell `index` of a square board `width` cells wide (1-based). */
export function cellPosition(index: number, width: number): string {
  return `row ${Math.floor(index / width) + 1}, column ${(index % width) + 1}`;
}

/** "cell 7 (row 2, column 3)" (1-based), for a character position in a board string. */
export function cellName(index: number, width: number): string {
  return `cell ${index + 1} (${cellPosition(index, width)})`;
}
