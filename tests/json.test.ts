// The JSON syntax helper: each kind of mistake is placed at its line and column and described,
// line endings and a byte order mark do not shift the place, and the scanner agrees with V8.
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
    line: 4, column: 5, says: 'a missing \',\' before this property' },
  { when: 'a property name has no quotes', text: config('    width: 8'),
    line: 3, column: 5, says: 'the property name width without double quotes' },
  { when: 'a name has single quotes', text: '{\'model\': {}}', line: 1, column: 2,
    says: 'a single quote' },
  { when: 'a line comment sits among the properties', text: config('    // wider\n    "width": 8'),
    line: 3, column: 5, says: 'a comment' },
  { when: 'a block comment follows a value', text: '{"a": 1 /* one */}', line: 1, column: 9,
    says: 'a comment' },
  { when: 'the file is cut short', text: '{\n  "model": {\n    "width": 8', line: 3,
    column: 15, says: 'the text ends with \'}}\' still to close' },
  { when: 'the file is cut short and ends in a newline', text: '{"model": {\n\n', line: 1,
    column: 12, says: 'the text ends with \'}}\' still to close' },
  { when: 'the file ends inside a string', text: '{"name": "tin', line: 1, column: 14,
    says: 'the text ends inside a string' },
  { when: 'a string is not closed on its line', text: '{\n  "name": "tiny,\n  "a": 1\n}',
    line: 2, column: 17, says: 'a string still open at the end of the line' },
  { when: 'a string holds a raw tab', text: '{"name": "a\tb"}', line: 1, column: 12,
    says: 'the raw control character U+0009' },
  { when: 'a Windows path has single backslashes', text: '{\n  "path": "C:\\data"\n}',
    line: 2, column: 15, says: 'the unknown escape \\d' },
  { when: 'a unicode escape is short', text: '["\\u12"]', line: 1, column: 7,
    says: '\\u without four hex digits' },
  { when: 'a value is a bare word', text: config('    "kind": text'), line: 3, column: 13,
    says: 'the bare word text' },
  { when: 'a boolean is capitalised', text: '{"enabled": True}', line: 1, column: 13,
    says: 'the bare word True' },
  { when: 'a number is NaN', text: '{"lr": NaN}', line: 1, column: 8, says: 'the bare word NaN' },
  { when: 'a number has a leading zero', text: '{"steps": 010}', line: 1, column: 12,
    says: 'a number with a leading zero' },
  { when: 'a number starts with a point', text: '{"lr": .5}', line: 1, column: 8,
    says: 'a number starting with \'.\'' },
  { when: 'a number ends in a point', text: '{"lr": 1.}', line: 1, column: 10,
    says: 'no digit after the decimal point' },
  { when: 'an exponent has no digits', text: '{"lr": 1e-}', line: 1, column: 11,
    says: 'an exponent without digits' },
  { when: 'a minus sign has no number', text: '[-]', line: 1, column: 3,
    says: 'no digit after \'-\'' },
  { when: 'a colon is missing', text: '{"model" {}}', line: 1, column: 10,
    says: 'no \':\' after the property name' },
  { when: 'a value is missing', text: '{"model": }', line: 1, column: 11,
    says: '\'}\' where a value should be' },
  { when: 'two commas follow each other', text: '[1,,2]', line: 1, column: 4,
    says: 'a comma where a value should be' },
  { when: 'an array is closed by a brace', text: '{"a": [1, 2}', line: 1, column: 12,
    says: '\'}\' where \']\' should close the array' },
  { when: 'a brace closes twice', text: '{"a": 1}}', line: 1, column: 9,
    says: 'an extra \'}\' after the JSON value ended' },
  { when: 'two values follow each other', text: '{"a": 1}\n{"b": 2}', line: 2, column: 1,
    says: 'more text after the JSON value ended' },
  { when: 'the file is empty', text: '', line: 1, column: 1, says: 'the text is empty' },
  { when: 'the file holds only blank lines', text: '\n  \n\t\n', line: 1, column: 1,
    says: 'the text is empty' },
  { when: 'an emoji comes before the mistake', text: '["😀😀", x]', line: 1, column: 8,
    says: 'the bare word x' },
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

  it('should count the brackets when a deeply nested text is cut short', () => {
    const problem = problemIn('['.repeat(100_000));
    expect(problem.problem).toBe('the text ends with 100000 brackets still open');
    expect(problem.column).toBe(100_001);
  });
});

/** Valid JSON with up to four single-character edits: mostly broken, sometimes still valid. */
const damagedJson = fc.tuple(fc.json(), fc.array(fc.record({
  at: fc.nat(),
  piece: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '\r', '\t', '-',
    '0', '1', '.', 'e', '+', 't', 'n', 'x', '/', '*', '\'', 'u', '\u0001', 'é'),
  kind: fc.constantFrom('insert', 'delete', 'replace', 'cut'),
}), { maxLength: 4 })).map(([json, edits]) => edits.reduce((text, { at, piece, kind }) => {
  const index = at % (text.length + 1);
  if (kind === 'cut') return text.slice(0, index);
  const rest = kind === 'insert' ? text.slice(index) : text.slice(index + 1);
  return text.slice(0, index) + (kind === 'delete' ? '' : piece) + rest;
}, json));

/** V8's message for `text`, or null when JSON.parse accepts it. */
function engineMessage(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('findJsonSyntaxProblem against JSON.parse', () => {
  it('should find a problem exactly when JSON.parse throws, for damaged JSON', () => {
    fc.assert(fc.property(damagedJson, (text) => {
      expect(findJsonSyntaxProblem(text) === null).toBe(engineMessage(text) === null);
    }), { numRuns: 3000 });
  });

  it('should point where V8 does when V8 names a position, for damaged JSON', () => {
    fc.assert(fc.property(damagedJson, (text) => {
      const position = /at position (\d+)/.exec(engineMessage(text) ?? '');
      const problem = findJsonSyntaxProblem(text);
      if (position === null || problem === null) return;
      const offset = Number(position[1]);
      if (problem.problem.startsWith('the bare word')) {
        // A bare word is pointed at its start; V8 stops at the letter that first differs.
        const word = problem.problem.slice('the bare word '.length);
        expect(offset - problem.offset).toBeGreaterThanOrEqual(0);
        expect(offset - problem.offset).toBeLessThanOrEqual(word.length);
      } else if (problem.problem.startsWith('the text ends with')) {
        // V8 points past trailing whitespace; the helper stops after the last visible part.
        expect(offset).toBe(text.length);
        expect(problem.offset).toBe(text.replace(/[ \t\n\r]+$/, '').length);
      } else {
        expect(problem.offset).toBe(offset);
      }
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
      'test.json: line 3, column 8, near \'"b": oops\': the bare word oops; put text in '
        + 'double quotes (the only bare words JSON knows are true, false, null)'));
  });

  it('should leave the line out of the description when asked to', () => {
    const problem = problemIn('{"text": oops}');
    expect(describeJsonProblem(problem, { showLine: false }))
      .toBe('column 10, near \'{"text": oops}\': the bare word oops');
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
