// The JSON syntax helper: each kind of mistake is placed at its line and column and described,
// line endings and a byte order mark do not shift the place, and the place agrees with V8.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import {
  describeJsonProblem, findJsonSyntaxProblem, parseJson, readJsonFile, type JsonSyntaxProblem,
} from '../src/json.js';

/** The problem the helper finds in `text`; fails the test when it finds none. */
function problemIn(text: string): JsonSyntaxProblem {
  const problem = findJsonSyntaxProblem(text);
  if (problem === null) throw new Error(`expected a syntax error in ${JSON.stringify(text)}`);
  return problem;
}

interface Mistake {
  when: string;
  text: string;
  line: number;
  column: number;
  /** A fragment of the problem's description. */
  says: string;
}

const config = (body: string) => `{\n  "model": {\n${body}\n  }\n}\n`;

const mistakes: Mistake[] = [
  { when: 'a comma trails the last property', text: config('    "width": 8,'),
    line: 4, column: 3, says: 'a comma right before \'}\'' },
  { when: 'a comma trails the last array item', text: '{\n  "values": [1, 2,]\n}',
    line: 2, column: 19, says: 'a comma right before \']\'' },
  { when: 'a comma is missing between properties', text: config('    "width": 8\n    "heads": 2'),
    line: 4, column: 5, says: 'a missing \',\' before this' },
  { when: 'a property name has no quotes', text: config('    width: 8'),
    line: 3, column: 5, says: 'the property name width without double quotes' },
  { when: 'a name has single quotes', text: '{\'model\': {}}', line: 1, column: 2,
    says: 'the property name \'model\' without double quotes' },
  { when: 'a value has single quotes', text: '{"model": \'tiny\'}', line: 1, column: 11,
    says: 'the text \'tiny\' in single quotes' },
  { when: 'a line comment sits among the properties', text: config('    // wider\n    "width": 8'),
    line: 3, column: 5, says: 'a comment' },
  { when: 'a block comment follows a value', text: '{"a": 1 /* one */}', line: 1, column: 9,
    says: 'a comment' },
  { when: 'the file is cut short', text: '{\n  "model": {\n    "width": 8', line: 3,
    column: 15, says: 'the text ends with \'}}\' still to close' },
  { when: 'the file is cut short and ends in a newline', text: '{"model": {\n\n', line: 1,
    column: 12, says: 'the text ends with \'}}\' still to close' },
  { when: 'the file ends inside a string', text: '{"name": "tin', line: 1, column: 14,
    says: 'a string without its closing quote' },
  { when: 'a string is not closed on its line', text: '{\n  "name": "tiny,\n  "a": 1\n}',
    line: 2, column: 17, says: 'a string without its closing quote' },
  { when: 'a string holds a raw tab', text: '{"name": "a\tb"}', line: 1, column: 12,
    says: 'a raw control character in a string' },
  { when: 'a Windows path has single backslashes', text: '{\n  "path": "C:\\data"\n}',
    line: 2, column: 15, says: 'an unknown escape' },
  { when: 'a unicode escape is short', text: '["\\u12"]', line: 1, column: 7,
    says: '\\u without four hex digits' },
  { when: 'a value is a bare word', text: config('    "kind": text'), line: 3, column: 13,
    says: 'the bare word \'text\'' },
  { when: 'a boolean is capitalised', text: '{"enabled": True}', line: 1, column: 13,
    says: 'the bare word \'True\'' },
  { when: 'a number is NaN', text: '{"lr": NaN}', line: 1, column: 8,
    says: 'the bare word \'NaN\'' },
  { when: 'a number has a leading zero', text: '{"steps": 010}', line: 1, column: 12,
    says: 'a number with a leading zero' },
  { when: 'a number starts with a point', text: '{"lr": .5}', line: 1, column: 8,
    says: 'the bare symbol \'.5\'' },
  { when: 'a number ends in a point', text: '{"lr": 1.}', line: 1, column: 10,
    says: 'a number cut short' },
  { when: 'an exponent has no digits', text: '{"lr": 1e-}', line: 1, column: 11,
    says: 'a number cut short' },
  { when: 'a minus sign has no number', text: '[-]', line: 1, column: 3,
    says: 'the bare symbol \'-\'' },
  { when: 'a colon is missing', text: '{"model" {}}', line: 1, column: 10,
    says: 'no \':\' after the property name' },
  { when: 'a value is missing', text: '{"model": }', line: 1, column: 11,
    says: 'a missing value' },
  { when: 'two commas follow each other', text: '[1,,2]', line: 1, column: 4,
    says: 'a missing value' },
  { when: 'a property name is missing', text: '{"a": 1, 2: 3}', line: 1, column: 10,
    says: 'a missing property name' },
  { when: 'an array is closed by a brace', text: '{"a": [1, 2}', line: 1, column: 12,
    says: 'a missing \',\' before this' },
  { when: 'a brace closes twice', text: '{"a": 1}}', line: 1, column: 9,
    says: 'more text after the value ended' },
  { when: 'two values follow each other', text: '{"a": 1}\n{"b": 2}', line: 2, column: 1,
    says: 'more text after the value ended' },
  { when: 'the file is empty', text: '', line: 1, column: 1, says: 'the text is empty' },
  { when: 'the file holds only blank lines', text: '\n  \n\t\n', line: 1, column: 1,
    says: 'the text is empty' },
  { when: 'an emoji comes before the mistake', text: '["😀😀", x]', line: 1, column: 8,
    says: 'the bare word \'x\'' },
  { when: 'a no-break space stands outside a string', text: '{"a":\u00a01}', line: 1, column: 6,
    says: 'the bare symbol' },
];

describe('findJsonSyntaxProblem', () => {
  it.for(mistakes)('should place the mistake at line $line, column $column when $when',
    ({ text, line, column, says }) => {
      const problem = problemIn(text);
      expect({ line: problem.line, column: problem.column }).toEqual({ line, column });
      expect(problem.problem).toContain(says);
      expect(problem.fix).not.toBe('');
    });

  it.for(mistakes)('should give the same place with CRLF line endings when $when',
    ({ text, line, column, says }) => {
      const problem = problemIn(text.replace(/\n/g, '\r\n'));
      expect({ line: problem.line, column: problem.column }).toEqual({ line, column });
      expect(problem.problem).toContain(says);
    });

  it('should count a lone carriage return as a line break', () => {
    expect(problemIn('{\r  "a": 1,\r}')).toMatchObject({ line: 3, column: 1 });
  });

  it('should skip a byte order mark when it opens the text', () => {
    expect(findJsonSyntaxProblem('\uFEFF{"a": 1}')).toBeNull();
    expect(problemIn('\uFEFF{"a": 1,}')).toMatchObject({ line: 1, column: 9, offset: 8 });
    expect(problemIn('\uFEFF')).toMatchObject({ line: 1, column: 1, problem: 'the text is empty' });
  });

  it('should return null when the text is valid JSON', () => {
    for (const text of ['{}', ' [1, -0.5e+3, "a\\u00e9\\n", true, false, null] ', '"x"', '0']) {
      expect(findJsonSyntaxProblem(text)).toBeNull();
    }
  });

  it('should quote the line of the mistake without its indentation', () => {
    expect(problemIn(config('    "width": 8,\n    "heads": 2,')).excerpt).toBe('}');
    expect(problemIn(config('    width: 8')).excerpt).toBe('width: 8');
    expect(problemIn('{"name": "a\tb"}').excerpt).toBe('{"name": "a\\tb"}');
  });

  it('should clip the excerpt around the mistake when the line is long', () => {
    const text = `{"first": "${'a'.repeat(100)}", "second": oops, "third": "${'c'.repeat(100)}"}`;
    const { excerpt, column } = problemIn(text);
    expect(column).toBe(text.indexOf('oops') + 1);
    expect(excerpt).toMatch(/^\.\.\..*"second": oops.*\.\.\.$/);
    expect(excerpt.length).toBeLessThanOrEqual(66);
  });

  it('should count the brackets still open when a nested text is cut short', () => {
    const problem = problemIn(`{"a": ${'['.repeat(1000)}`);
    expect(problem.problem).toBe('the text ends with 1001 brackets still to close');
    expect(problem.column).toBe(1007);
  });
});

describe('findJsonSyntaxProblem past what the library can nest', () => {
  // The library parses by recursion; this deep, it runs out of stack and V8's message serves.
  const deep = (inner: string) => `${'['.repeat(100_000)}${inner}${']'.repeat(100_000)}`;

  it('should place V8\'s report at the end when the text is cut short', () => {
    const problem = problemIn('['.repeat(100_000));
    expect(problem).toMatchObject({ line: 1, column: 100_001,
      problem: 'Unexpected end of JSON input' });
  });

  it('should place V8\'s report where V8 names a position', () => {
    const problem = problemIn(deep('"a\tb"'));
    expect(problem).toMatchObject({ line: 1, column: 100_003,
      problem: 'Bad control character in string literal' });
  });

  it('should give V8\'s report without a place when V8 names none', () => {
    const problem = problemIn(deep('1,'));
    expect(problem).toMatchObject({ offset: null, line: null, column: null, excerpt: '' });
    expect(describeJsonProblem(problem)).toMatch(/^an unknown place: Unexpected token '\]'/);
  });
});

/** The text past a leading byte order mark, which the helper skips (Windows editors write one). */
const withoutMark = (text: string) => text.replace(/^\uFEFF/, '');

/** Valid JSON, compact or indented, with up to four single-character edits: mostly broken. */
const damagedJson = fc.tuple(
  fc.oneof(fc.json(), fc.jsonValue().map((value) => JSON.stringify(value, null, 2))),
  fc.array(fc.record({
    at: fc.nat(),
    piece: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '\r', '\t', '-',
      '0', '1', '.', 'e', '+', 't', 'n', 'x', '/', '*', '\'', 'u', '\u0001', 'é', '\u00a0',
      '\ud800', '\uFEFF'),
    kind: fc.constantFrom('insert', 'delete', 'replace', 'cut'),
  }), { maxLength: 4 }),
).map(([json, edits]) => edits.reduce((text, { at, piece, kind }) => {
  const index = at % (text.length + 1);
  if (kind === 'cut') return text.slice(0, index);
  const rest = kind === 'insert' ? text.slice(index) : text.slice(index + 1);
  return text.slice(0, index) + (kind === 'delete' ? '' : piece) + rest;
}, json));

/** V8's message for `text` past a leading byte order mark, or null when JSON.parse accepts it. */
function engineMessage(text: string): string | null {
  try {
    JSON.parse(withoutMark(text));
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('findJsonSyntaxProblem against JSON.parse', () => {
  it('should find a problem exactly when JSON.parse throws, placed within the text', () => {
    fc.assert(fc.property(damagedJson, (text) => {
      const problem = findJsonSyntaxProblem(text);
      expect(problem === null).toBe(engineMessage(text) === null);
      if (problem === null) return;
      const lines = withoutMark(text).split(/\r\n|\r|\n/);
      expect(problem.line).toBeGreaterThanOrEqual(1);
      expect(problem.line).toBeLessThanOrEqual(lines.length);
      expect(problem.column).toBeGreaterThanOrEqual(1);
      expect(problem.column).toBeLessThanOrEqual([...lines[problem.line! - 1]].length + 1);
    }), { numRuns: 3000 });
  });

  it('should find the mistake itself rather than fall back on V8, for damaged JSON', () => {
    fc.assert(fc.property(damagedJson, (text) => {
      const problem = findJsonSyntaxProblem(text);
      if (problem === null) return;
      expect(engineMessage(text)!.startsWith(problem.problem)).toBe(false);
      expect(problem.problem).toMatch(/^[a-z\\]/);
    }), { numRuns: 3000 });
  });

  it('should point where V8 does, or at the start of the word V8 points into', () => {
    fc.assert(fc.property(damagedJson, (text) => {
      const position = /at position (\d+)/.exec(engineMessage(text) ?? '');
      const problem = findJsonSyntaxProblem(text);
      if (position === null || problem === null) return;
      const [body, engine] = [withoutMark(text), Number(position[1])];
      expect(problem.offset).toBeLessThanOrEqual(engine);
      // At the end, V8 points past trailing whitespace and the helper before it.
      const atEnd = /^[ \t\n\r]*$/.test(body.slice(problem.offset!));
      expect(atEnd || /^[\w$]*$/.test(body.slice(problem.offset!, engine))).toBe(true);
    }), { numRuns: 3000 });
  });
});

describe('parseJson', () => {
  const fail = (problem: JsonSyntaxProblem) =>
    new ConfigError(`test.json: ${describeJsonProblem(problem)}; ${problem.fix}`);

  it('should return the value when the text is valid, with or without a byte order mark', () => {
    expect(parseJson('{"a": [1, 2]}', fail)).toEqual({ a: [1, 2] });
    expect(parseJson('\uFEFF{"a": 1}\r\n', fail)).toEqual({ a: 1 });
  });

  it('should throw the caller\'s error with line, column, excerpt and fix when it is not', () => {
    expect(() => parseJson('{\n  "a": 1,\n  "b": oops\n}', fail)).toThrow(new ConfigError(
      'test.json: line 3, column 8, near \'"b": oops\': the bare word \'oops\'; put text in '
        + 'double quotes; unquoted, JSON allows only numbers, true, false, null'));
  });

  it('should leave the line out of the description when asked to', () => {
    const problem = problemIn('{"text": oops}');
    expect(describeJsonProblem(problem, { showLine: false }))
      .toBe('column 10, near \'{"text": oops}\': the bare word \'oops\'');
    expect(describeJsonProblem(problemIn(''))).toBe('line 1, column 1: the text is empty');
  });
});

describe('readJsonFile', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-json-'));
  const reasonFor = (file: string) => {
    try {
      readJsonFile(file, (reason) => new ConfigError(reason));
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
    }
    throw new Error(`expected ${file} to fail`);
  };

  afterAll(() => {
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('should return the value when the file holds valid JSON', () => {
    fs.writeFileSync(path.join(folder, 'good.json'), '{"steps": 4}\n');
    expect(readJsonFile(path.join(folder, 'good.json'), () => new Error('unused')))
      .toEqual({ steps: 4 });
  });

  it('should say where the syntax breaks when the file is damaged', () => {
    fs.writeFileSync(path.join(folder, 'cut.json'), '{\n  "steps": 4,\n  "lr"');
    expect(reasonFor(path.join(folder, 'cut.json'))).toBe('not valid JSON at line 3, column 7, '
      + 'near \'"lr"\': the text ends with \'}\' still to close');
  });

  it('should say the file is missing or unreadable when it cannot be read', () => {
    expect(reasonFor(path.join(folder, 'absent.json'))).toBe('is missing');
    expect(reasonFor(folder)).toBe('cannot be read (EISDIR)');
  });
});
