// Parsing JSON that people write by hand or that a crash cut short. A syntax error comes back
// as the line and column of the mistake, what is wrong there and how to fix it.
import fs from 'node:fs';

/** The first syntax error of a JSON text. */
export interface JsonSyntaxProblem {
  /** Index into the text (after a leading byte order mark) of the character at fault. */
  offset: number;
  /** 1-based; a line ends at \n, \r\n or a lone \r. */
  line: number;
  /** 1-based, in characters: a tab or an emoji counts as one. */
  column: number;
  /** What is wrong, e.g. `a comma right before '}'`. */
  problem: string;
  /** What to do about it, e.g. `remove that comma (JSON allows none ...)`. */
  fix: string;
  /** The line of the mistake, trimmed and clipped to about 60 characters; '' when blank. */
  excerpt: string;
}

type Mistake = Pick<JsonSyntaxProblem, 'offset' | 'problem' | 'fix'>;

/** What the scanner reads next; `done` once a whole value has been read. */
type Step = 'value' | 'firstName' | 'name' | 'firstItem' | 'next' | 'done';

const byteOrderMark = '\uFEFF';
const excerptWidth = 60;

/** A cursor over the text and the brackets still open at it. */
class Scanner {
  at = 0;
  /** The closing bracket of every open object or array, innermost last. */
  readonly closers: string[] = [];

  constructor(readonly text: string) {}

  /** The character at the cursor; '' at the end of the text. */
  char(): string {
    return this.text.charAt(this.at);
  }

  skipSpace(): void {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.char())) this.at += 1;
  }

  open(closer: string): void {
    this.closers.push(closer);
    this.at += 1;
  }

  close(): Step {
    this.closers.pop();
    this.at += 1;
    return 'next';
  }

  mistake(problem: string, fix: string, offset = this.at): Mistake {
    return { offset, problem, fix };
  }
}

const isDigit = (char: string) => char >= '0' && char <= '9';
const isCloser = (char: string) => char === '}' || char === ']';

/** The run of letters, digits, `_` and `$` at the cursor; '' when there is none. */
function wordAt(scan: Scanner, from = scan.at): string {
  return /^[\w$]*/.exec(scan.text.slice(from, from + 40))![0];
}

/** The end of the text where more must follow, pointed at just after its last character. */
function endedEarly(scan: Scanner): Mistake {
  const offset = scan.text.replace(/[ \t\n\r]+$/, '').length;
  const open = scan.closers.length;
  if (open > 8) {
    return { offset, problem: `the text ends with ${open} brackets still open`,
      fix: 'add what is missing and close them' };
  }
  const closing = [...scan.closers].reverse().join('');
  return { offset, problem: `the text ends with '${closing}' still to close`,
    fix: `add what is missing and close with '${closing}'` };
}

/** Mistakes that read the same wherever they happen: the end, a comment, a single quote. */
function anywhere(scan: Scanner): Mistake | null {
  if (scan.char() === '') return endedEarly(scan);
  if (scan.text.startsWith('//', scan.at) || scan.text.startsWith('/*', scan.at)) {
    return scan.mistake('a comment', 'remove it (JSON has no comments)');
  }
  if (scan.char() === '\'') {
    return scan.mistake('a single quote',
      'use double quotes (") around strings and property names');
  }
  return null;
}

/** A word that is not true, false or null, pointed at where it starts. */
function bareWord(scan: Scanner, start: number): Mistake {
  return scan.mistake(`the bare word ${wordAt(scan, start)}`,
    'put text in double quotes (the only bare words JSON knows are true, false, null)', start);
}

function readWord(scan: Scanner): Mistake | null {
  const literal = ['true', 'false', 'null'].find((word) => word[0] === scan.char())!;
  const start = scan.at;
  for (const letter of literal) {
    if (scan.char() !== letter) return bareWord(scan, start);
    scan.at += 1;
  }
  return null;
}

function skipDigits(scan: Scanner): boolean {
  const start = scan.at;
  while (isDigit(scan.char())) scan.at += 1;
  return scan.at > start;
}

function readNumber(scan: Scanner): Mistake | null {
  if (scan.char() === '-') scan.at += 1;
  if (scan.char() === '0') {
    scan.at += 1;
    if (isDigit(scan.char())) {
      return scan.mistake('a number with a leading zero', 'drop the zero: 7, not 07');
    }
  } else if (!skipDigits(scan)) {
    return scan.mistake('no digit after \'-\'', 'write a number such as -1');
  }
  if (scan.char() === '.') {
    scan.at += 1;
    if (!skipDigits(scan)) {
      return scan.mistake('no digit after the decimal point', 'write 1.0 or 1, not 1.');
    }
  }
  if (scan.char() === 'e' || scan.char() === 'E') {
    scan.at += 1;
    if (scan.char() === '+' || scan.char() === '-') scan.at += 1;
    if (!skipDigits(scan)) return scan.mistake('an exponent without digits', 'write e.g. 1e-3');
  }
  return null;
}

const unclosedString = (scan: Scanner) =>
  scan.mistake('the text ends inside a string', 'close the string with "');

/** A backslash and what follows it; the cursor starts on the backslash. */
function readEscape(scan: Scanner): Mistake | null {
  scan.at += 1;
  const char = scan.char();
  if (char === '') return unclosedString(scan);
  if (char !== 'u') {
    if (!'"\\/bfnrt'.includes(char)) {
      return scan.mistake(`the unknown escape \\${char} in a string`,
        'write a backslash as \\\\, e.g. "C:\\\\data"');
    }
    scan.at += 1;
    return null;
  }
  for (let digit = 0; digit < 4; digit += 1) {
    scan.at += 1;
    if (!/^[0-9a-fA-F]$/.test(scan.char())) {
      return scan.mistake('\\u without four hex digits', 'write four, e.g. \\u00e9');
    }
  }
  scan.at += 1;
  return null;
}

function controlCharacter(scan: Scanner, char: string): Mistake {
  if (char === '\n' || char === '\r') {
    return scan.mistake('a string still open at the end of the line',
      'close it with " (a line break inside a string is written \\n)');
  }
  const code = char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return scan.mistake(`the raw control character U+${code} in a string`,
    'write it as an escape, e.g. \\t for a tab');
}

function readString(scan: Scanner): Mistake | null {
  scan.at += 1;
  for (;;) {
    const char = scan.char();
    if (char === '') return unclosedString(scan);
    if (char === '"') {
      scan.at += 1;
      return null;
    }
    if (char < ' ') return controlCharacter(scan, char);
    if (char !== '\\') {
      scan.at += 1;
      continue;
    }
    const mistake = readEscape(scan);
    if (mistake !== null) return mistake;
  }
}

function notAValue(scan: Scanner): Mistake {
  const char = scan.char();
  const common = anywhere(scan);
  if (common !== null) return common;
  if (char === ',') {
    return scan.mistake('a comma where a value should be',
      'remove the extra comma, or write the missing value before it');
  }
  if (isCloser(char)) return scan.mistake(`'${char}' where a value should be`, 'write the value');
  if (char === '.' || char === '+') {
    return scan.mistake(`a number starting with '${char}'`,
      'start a number with a digit or \'-\', e.g. 0.5');
  }
  if (wordAt(scan) !== '') return bareWord(scan, scan.at);
  return scan.mistake(`'${char}' where a value should be`, 'write an object, array, string '
    + 'in double quotes, number, true, false or null');
}

function readValue(scan: Scanner): Step | Mistake {
  const char = scan.char();
  if (char === '{' || char === '[') {
    scan.open(char === '{' ? '}' : ']');
    return char === '{' ? 'firstName' : 'firstItem';
  }
  let mistake: Mistake | null;
  if (char === '"') mistake = readString(scan);
  else if (char === '-' || isDigit(char)) mistake = readNumber(scan);
  else if (char !== '' && 'tfn'.includes(char)) mistake = readWord(scan);
  else mistake = notAValue(scan);
  return mistake ?? 'next';
}

function notAName(scan: Scanner): Mistake {
  const common = anywhere(scan);
  if (common !== null) return common;
  const word = wordAt(scan);
  if (word !== '') {
    return scan.mistake(`the property name ${word} without double quotes`,
      `write it as "${word}"`);
  }
  return scan.mistake(`'${scan.char()}' where a property name should be`,
    'write the name in double quotes, or remove the extra character');
}

/** A property name and its colon. */
function readName(scan: Scanner): Step | Mistake {
  if (scan.char() !== '"') return notAName(scan);
  const mistake = readString(scan);
  if (mistake !== null) return mistake;
  scan.skipSpace();
  if (scan.char() === ':') {
    scan.at += 1;
    return 'value';
  }
  return anywhere(scan)
    ?? scan.mistake('no \':\' after the property name', 'put \':\' between a name and its value');
}

function missingSeparator(scan: Scanner, closer: string): Mistake {
  const char = scan.char();
  const common = anywhere(scan);
  if (common !== null) return common;
  const container = closer === '}' ? 'object' : 'array';
  if (isCloser(char)) {
    return scan.mistake(`'${char}' where '${closer}' should close the ${container}`,
      'close every { with } and every [ with ]');
  }
  if ('"{[-tfn'.includes(char) || isDigit(char)) {
    return scan.mistake(`a missing ',' before this ${closer === '}' ? 'property' : 'item'}`,
      'put \',\' after the value before it');
  }
  return scan.mistake(`'${char}' where ',' or '${closer}' should follow a value`,
    `separate the values of the ${container} with ',' and close it with '${closer}'`);
}

function textAfterEnd(scan: Scanner): Mistake {
  const char = scan.char();
  if (isCloser(char)) {
    return scan.mistake(`an extra '${char}' after the JSON value ended`,
      'remove it, or the bracket before it that closes too early');
  }
  return anywhere(scan) ?? scan.mistake('more text after the JSON value ended',
    'keep one value: remove the rest, or wrap several values in [ ]');
}

/** After a value: a comma, the bracket that closes its container, or the end of the text. */
function readNext(scan: Scanner): Step | Mistake {
  const closer = scan.closers.at(-1);
  if (closer === undefined) return scan.char() === '' ? 'done' : textAfterEnd(scan);
  if (scan.char() === closer) return scan.close();
  if (scan.char() !== ',') return missingSeparator(scan, closer);
  scan.at += 1;
  scan.skipSpace();
  if (isCloser(scan.char())) {
    return scan.mistake(`a comma right before '${scan.char()}'`,
      'remove that comma (JSON allows none before a closing bracket)');
  }
  return closer === '}' ? 'name' : 'value';
}

const steps: Record<Exclude<Step, 'done'>, (scan: Scanner) => Step | Mistake> = {
  value: readValue,
  firstName: (scan) => (scan.char() === '}' ? scan.close() : readName(scan)),
  name: readName,
  firstItem: (scan) => (scan.char() === ']' ? scan.close() : readValue(scan)),
  next: readNext,
};

/**
 * The first mistake, at the character where V8's parser gives up too (the tests check this),
 * except that a bare word is pointed at where it starts, and a text that ends too early just
 * after its last visible character. A stack of brackets stands in for recursion, so that
 * deep nesting cannot overflow the call stack.
 */
function firstMistake(text: string): Mistake | null {
  if (/^[ \t\n\r]*$/.test(text)) {
    return { offset: 0, problem: 'the text is empty', fix: 'write a JSON value such as {}' };
  }
  const scan = new Scanner(text);
  let step: Step = 'value';
  while (step !== 'done') {
    scan.skipSpace();
    const next: Step | Mistake = steps[step](scan);
    if (typeof next !== 'string') return next;
    step = next;
  }
  return null;
}

/** A control character as a string escape would write it, so that the excerpt shows it. */
const visible = (char: string) => (char === '\t' ? '\\t'
  : char < ' ' ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}` : char);

/** The visible part of a line around `column`, with '...' where it was cut. */
function excerptOf(lineText: string, column: number): string {
  const chars = [...lineText];
  const lead = chars.findIndex((char) => char !== ' ' && char !== '\t');
  if (lead < 0) return '';
  const tail = chars.length - [...chars].reverse().findIndex((c) => c !== ' ' && c !== '\t');
  const from = Math.max(lead, Math.min(column - 1 - excerptWidth / 2, tail - excerptWidth));
  const to = Math.min(tail, from + excerptWidth);
  const shown = chars.slice(from, to).map(visible).join('');
  return (from > lead ? '...' : '') + shown + (to < tail ? '...' : '');
}

function placeOf(text: string, offset: number): Pick<JsonSyntaxProblem, 'line' | 'column'
  | 'excerpt'> {
  let line = 1;
  let start = 0;
  for (let index = 0; index < offset; index += 1) {
    const char = text[index];
    if (char === '\n' || (char === '\r' && text[index + 1] !== '\n')) {
      line += 1;
      start = index + 1;
    }
  }
  const length = text.slice(start).search(/[\r\n]/);
  const lineText = length < 0 ? text.slice(start) : text.slice(start, start + length);
  const column = [...text.slice(start, offset)].length + 1;
  return { line, column, excerpt: excerptOf(lineText, column) };
}

const withoutMark = (text: string) => (text.startsWith(byteOrderMark) ? text.slice(1) : text);

/** The first syntax error of `text`, or null when it is valid JSON. A leading BOM is skipped. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | null {
  const body = withoutMark(text);
  const mistake = firstMistake(body);
  return mistake === null ? null : { ...mistake, ...placeOf(body, mistake.offset) };
}

/** V8's own message at the position it names; only used should the scanner ever miss. */
function engineProblem(text: string, error: unknown): JsonSyntaxProblem {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  const offset = position === null ? 0 : Math.min(Number(position[1]), text.length);
  return { offset, ...placeOf(text, offset), problem: message, fix: 'correct the syntax there' };
}

/**
 * `text` parsed as JSON. A leading byte order mark is skipped, since editors on Windows write
 * one. On a syntax error it throws what `fail` makes of the problem, so that each caller
 * keeps its own error type, names its own file and adds its own advice.
 */
export function parseJson(text: string, fail: (problem: JsonSyntaxProblem) => Error): unknown {
  const body = withoutMark(text);
  try {
    return JSON.parse(body);
  } catch (error) {
    throw fail(findJsonSyntaxProblem(body) ?? engineProblem(body, error));
  }
}

/**
 * Where and what, e.g. `line 3, column 12, near '"width": 8,}': a comma right before '}'`.
 * `showLine: false` leaves the line out, for a text that is one line of a larger file.
 */
export function describeJsonProblem(problem: JsonSyntaxProblem, { showLine = true } = {}):
  string {
  const place = showLine ? `line ${problem.line}, column ${problem.column}`
    : `column ${problem.column}`;
  const near = problem.excerpt === '' ? '' : `, near '${problem.excerpt}'`;
  return `${place}${near}: ${problem.problem}`;
}

/**
 * A file the program wrote, read and parsed. `fail` gets what is wrong with it as a clause
 * (`is missing`, `not valid JSON at line 3, ...`) and adds the file and the advice.
 */
export function readJsonFile(file: string, fail: (reason: string) => Error): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? String(error)})`);
  }
  return parseJson(text, (problem) => fail(`not valid JSON at ${describeJsonProblem(problem)}`));
}
