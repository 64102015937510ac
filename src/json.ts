// Parsing JSON that people write by hand or that a crash cut short. A syntax error comes back
// as the line and column of the mistake, what is wrong there and how to fix it.
import fs from 'node:fs';
import { ParseErrorCode as Code, parse as listErrors, type ParseError } from 'jsonc-parser';

/**
 * The first syntax error of a JSON text: the `offset` of the character at fault (past a leading
 * byte order mark), its 1-based `line` (ended by \n, \r\n or a lone \r) and `column` (in
 * characters), all null when unknown; `problem`, `fix`, and `excerpt`: the line, trimmed and
 * clipped to about 60 characters.
 */
export type JsonSyntaxProblem = Record<'offset' | 'line' | 'column', number | null>
  & Record<'problem' | 'fix' | 'excerpt', string>;

type Advice = [problem: string, fix: string];

/** jsonc-parser held to plain JSON, so that it faults what JSON.parse faults. */
const plainJson = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/** What each error the library reports first for plain JSON means, and what to do about it. */
const adviceFor: Partial<Record<Code, Advice>> = {
  [Code.PropertyNameExpected]: ['a missing property name', 'write one in double quotes'],
  [Code.ValueExpected]: ['a missing value', 'write one, or remove what is extra'],
  [Code.ColonExpected]: ['no \':\' after the property name', 'put \':\' after it'],
  [Code.CommaExpected]: ['a missing \',\' before this', 'put \',\' after the value before it, '
    + 'or close the bracket with its match (} for {, ] for [)'],
  [Code.EndOfFileExpected]: ['more text after the value ended', 'remove it, or wrap all in [ ]'],
  [Code.InvalidCommentToken]: ['a comment', 'remove it (JSON has no comments)'],
  [Code.UnexpectedEndOfString]: ['a string without its closing quote',
    'close it with " (a line break inside a string is written \\n)'],
  [Code.UnexpectedEndOfNumber]: ['a number cut short', 'write digits after its point or exponent'],
  [Code.InvalidUnicode]: ['\\u without four hex digits', 'write four, e.g. \\u00e9'],
  [Code.InvalidEscapeCharacter]: ['an unknown escape', 'write a backslash as \\\\'],
  [Code.InvalidCharacter]: ['a raw control character in a string', 'write it as e.g. \\t'],
};

/** The library's error read in its context: a bare word, a trailing comma, a leading zero. */
function advice({ error: code, offset, length }: ParseError, text: string): Advice {
  const [token, char] = [text.slice(offset, offset + Math.min(length, 40)), text.charAt(offset)];
  const after = text.slice(offset + length, offset + length + 40);
  if (code === Code.InvalidSymbol && /^[ \t\n\r]*:/.test(after)) {
    return [`the property name ${token} without double quotes`, 'put it in double quotes (")'];
  }
  if (code === Code.InvalidSymbol && token.startsWith('\'')) {
    return [`the text ${token} in single quotes`, 'use double quotes (") around text'];
  }
  if (code === Code.InvalidSymbol) {
    return [`the bare ${/^[\w$]+$/.test(token) ? 'word' : 'symbol'} '${token}'`,
      'put text in double quotes; unquoted, JSON allows only numbers, true, false, null'];
  }
  if (code === Code.CommaExpected && /\d/.test(char) && text[offset - 1] === '0') {
    return ['a number with a leading zero', 'drop the zero: 7, not 07'];
  }
  const afterComma = /,[ \t\n\r]*$/.test(text.slice(Math.max(0, offset - 99), offset));
  if ((char === '}' || char === ']') && afterComma) {
    return [`a comma right before '${char}'`, 'remove that comma (JSON allows none there)'];
  }
  return adviceFor[code] ?? ['a syntax error', 'mend the syntax'];
}

/** A text that ends early or holds nothing; the library reports each bracket left open. */
function endedEarly(errors: ParseError[]): Advice {
  const closing = errors.map(({ error }) => (error === Code.CloseBraceExpected ? '}'
    : error === Code.CloseBracketExpected ? ']' : '')).join('');
  const brackets = closing.length > 8 ? `${closing.length} brackets` : `'${closing}'`;
  if (closing === '') return ['the text is empty', 'write a JSON value, e.g. {}'];
  return [`the text ends with ${brackets} still to close`, `add what is missing, then ${brackets}`];
}

/** The problem placed at `offset`, with its line trimmed and clipped around the column. */
function placed(text: string, offset: number | null, [problem, fix]: Advice): JsonSyntaxProblem {
  if (offset === null) return { offset, line: null, column: null, problem, fix, excerpt: '' };
  const lines = text.slice(0, offset).split(/\r\n?|\n/);
  const column = [...lines.at(-1)!].length + 1;
  const whole = lines.at(-1)! + /^[^\r\n]*/.exec(text.slice(offset))![0];
  const indent = /^[ \t]*/.exec(whole)![0].length;
  const chars = [...whole.slice(indent).trimEnd()]
    .map((char) => (char < ' ' ? JSON.stringify(char).slice(1, -1) : char));
  const from = Math.max(0, Math.min(column - indent - 31, chars.length - 60));
  const excerpt = [from > 0 ? '...' : '', ...chars.slice(from, from + 60),
    from + 60 < chars.length ? '...' : ''].join('');
  return { offset, line: lines.length, column, problem, fix, excerpt };
}

/**
 * The first syntax error of `text`, or null when it is valid JSON; a leading BOM is skipped.
 * Once JSON.parse has refused the text, the library finds the mistake; a text that ends early
 * is pointed at just after its last visible character.
 */
export function findJsonSyntaxProblem(marked: string): JsonSyntaxProblem | null {
  const text = marked.replace(/^\uFEFF/, '');
  let message: string;
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    message = error instanceof Error ? error.message : String(error);
  }
  let end = text.length;
  while (end > 0 && ' \t\n\r'.includes(text[end - 1])) end -= 1;
  const errors: ParseError[] = [];
  try {
    listErrors(text, errors, plainJson);
  } catch (error) {
    // NOTE: the library descends by recursion, so thousands of open brackets overflow the
    // stack; errors found before that stand, and with none V8's own message serves.
    if (!(error instanceof RangeError)) throw error;
  }
  const [first, position] = [errors.at(0), /at position (\d+)/.exec(message)];
  const engine = message.startsWith('Unexpected end of JSON input') ? end
    : position === null ? null : Math.min(Number(position[1]), end);
  if (first === undefined) {
    return placed(text, engine, [message.replace(/ in JSON at .*$/s, ''), 'mend the syntax']);
  }
  if (first.offset >= end) return placed(text, end, endedEarly(errors));
  // The library faults a whole string or number; V8 names the character inside it.
  const inside = engine !== null && /^["\d-]/.test(text[first.offset]) && engine > first.offset
    && engine <= first.offset + first.length;
  return placed(text, inside ? engine : first.offset, advice(first, text));
}

/** `text` parsed as JSON, a leading BOM skipped; on a syntax error, throws `fail(problem)`. */
export function parseJson(text: string, fail: (problem: JsonSyntaxProblem) => Error): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw fail(findJsonSyntaxProblem(text)!);
  }
}

/** Where and what, e.g. `line 3, column 9, near '"a": 8,}': a comma right before '}'`. */
export function describeJsonProblem(problem: JsonSyntaxProblem, { showLine = true } = {}): string {
  if (problem.column === null) return `an unknown place: ${problem.problem}`;
  const line = showLine ? `line ${problem.line}, ` : '';
  const near = problem.excerpt === '' ? '' : `, near '${problem.excerpt}'`;
  return `${line}column ${problem.column}${near}: ${problem.problem}`;
}

/** A file read and parsed; `fail` makes the caller's error of a clause such as `is missing`. */
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

/** JSON with object keys sorted, so two equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const entries = Object.entries(item as Record<string, unknown>).sort(([a], [b]) =>
      (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries);
  });
}
