// Every kind of bad input the command line can be handed: each must exit 2 (usage or input)
// with one message that names the file, field or value and says what to do, print no stack
// trace, and write nothing. Most run in-process through runCli; a few as real processes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliOutcome } from '../../src/cli/program.js';
import { packageRoot as root, startLtm } from './ltm-process.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-bad-input-'));
const at = (...parts: string[]) => path.join(scratch, ...parts);
/** Where a bad train command would put its run folder; it must never appear. */
const target = at('runs-never-written');

const tiny = JSON.parse(fs.readFileSync(path.join(root, 'configs', 'tiny.json'), 'utf8'));
const tinyModel = tiny.model as Record<string, number>;
const prose = (words: number) => Array.from({ length: words }, (_, i) => `word${i % 97}`)
  .join(' ');

/** Files a case reads, written before the suite runs: name to contents. */
const files: Record<string, string | Uint8Array> = {};

/** A config file holding `value` (as JSON), returned as its path. */
function configFile(name: string, value: unknown): string {
  files[`${name}.json`] = JSON.stringify(value);
  return at(`${name}.json`);
}

/** A config that trains on `data` with the tiny model, so only the data can be wrong. */
function dataConfig(name: string, data: object, model: object = tinyModel): string {
  return configFile(name, { ...tiny, data, model });
}

interface BadInput {
  /** The input, as the test name reads it. */
  when: string;
  args: string[];
  /** Fragments the message must contain: what is wrong and what to do. */
  says: string[];
}

const train = (config: string, ...more: string[]) =>
  ['train', '--config', config, '--run', target, ...more];

/** Configs with a syntax error on a known line; the message must name that line. */
files['trailing-comma.json'] = '{\n  "model": {\n    "width": 16,\n  }\n}\n';
files['comment.json'] = '{\n  "train": {\n    // short run\n    "steps": 4\n  }\n}\n';
files['crlf-comma.json'] = ['{', '  "train": {', '    "steps": 4', '    "batchSize": 2', '  }',
  '}', ''].join('\r\n');
files['unquoted.json'] = '{\n  model: {}\n}\n';

const configCases: BadInput[] = [
  { when: 'the config is not JSON', args: train(at('not-json.json')),
    says: [at('not-json.json'), 'not valid JSON at line 1, column 12',
      'the text ends with \'}}\' still to close', 'fix the file\'s syntax'] },
  { when: 'the config is an empty file', args: train(at('empty-config.json')),
    says: [at('empty-config.json'), 'not valid JSON at line 1, column 1: the text is empty'] },
  { when: 'the config has a trailing comma on line 4', args: train(at('trailing-comma.json')),
    says: [at('trailing-comma.json'), 'not valid JSON at line 4, column 3, near \'}\'',
      'a comma right before \'}\'', 'fix the file\'s syntax: remove that comma'] },
  { when: 'the config has a comment on line 3', args: train(at('comment.json')),
    says: [`${at('comment.json')}: not valid JSON at line 3, column 5, near '// short run'`,
      'a comment', 'remove it (JSON has no comments)'] },
  { when: 'the config has CRLF endings and lacks a comma on line 4',
    args: train(at('crlf-comma.json')),
    says: [at('crlf-comma.json'), 'line 4, column 5, near \'"batchSize": 2\'',
      'a missing \',\' before this'] },
  { when: 'the config has an unquoted name on line 2', args: train(at('unquoted.json')),
    says: [at('unquoted.json'), 'line 2, column 3', 'the property name model without double '
      + 'quotes', 'put it in double quotes (")'] },
  { when: 'the config is a JSON array', args: train(configFile('array', [1, 2])),
    says: [at('array.json'), 'a config must be a JSON object'] },
  { when: 'the config is a JSON string', args: train(configFile('string', 'tiny')),
    says: [at('string.json'), 'a config must be a JSON object'] },
  { when: 'the config file does not exist', args: train(at('absent.json')),
    says: [at('absent.json'), 'cannot read the config file; check the path'] },
  { when: 'the config path is a folder', args: train(scratch),
    says: [scratch, 'cannot read the config file'] },
  { when: 'a top-level key is unknown', args: train(configFile('top', { modle: {} })),
    says: [at('top.json'), 'modle: unknown key', 'did you mean \'model\'?'] },
  { when: 'a nested key is unknown', args: train(configFile('nested', { model: { widht: 8 } })),
    says: ['model.widht: unknown key', 'did you mean \'width\'?'] },
  { when: 'a nested key is far from any known one',
    args: train(configFile('far', { train: { zzzzzzzzz: 1 } })),
    says: ['train.zzzzzzzzz: unknown key', 'known keys: steps, batchSize'] },
  { when: 'a number is a string', args: train(configFile('type', { train: { steps: 'many' } })),
    says: ['train.steps: must be integer (got "many")'] },
  { when: 'a boolean is a string',
    args: train(configFile('bool', { latents: { enabled: 'yes' } })),
    says: ['latents.enabled: must be boolean (got "yes")'] },
  { when: 'a section is a number', args: train(configFile('section', { model: 3 })),
    says: ['model: must be object (got 3)'] },
  { when: 'an integer is a fraction', args: train(configFile('frac', { model: { layers: 1.5 } })),
    says: ['model.layers: must be integer (got 1.5)'] },
  { when: 'steps are negative', args: train(configFile('neg', { train: { steps: -5 } })),
    says: ['train.steps: must be >= 1 (got -5)'] },
  { when: 'the batch size is zero', args: train(configFile('zero', { train: { batchSize: 0 } })),
    says: ['train.batchSize: must be >= 1 (got 0)'] },
  { when: 'the learning rate is zero', args: train(configFile('lr0', { train: { lr: 0 } })),
    says: ['train.lr: must be > 0 (got 0)'] },
  { when: 'the sequence is one token',
    args: train(configFile('seq1', { model: { sequenceLength: 1, window: 1 } })),
    says: ['model.sequenceLength: must be >= 2 (got 1)'] },
  { when: 'latents per layer exceed the maximum',
    args: train(configFile('many', { latents: { perLayer: 5000 } })),
    says: ['latents.perLayer: must be <= 1024 (got 5000)'] },
  { when: 'the prefix fraction is 1',
    args: train(configFile('prefix', { eval: { prefixFraction: 1 } })),
    says: ['eval.prefixFraction: must be < 1 (got 1)'] },
  { when: 'the window is larger than the sequence',
    args: train(configFile('window', { model: { sequenceLength: 16, window: 100 } })),
    says: ['model.window: 100 is larger than model.sequenceLength (16); use at most 16'] },
  { when: 'the heads do not divide the width',
    args: train(configFile('heads', { model: { width: 30, heads: 4 } })),
    says: ['model.heads: 4 does not divide model.width (30)', 'pick a head count'] },
  { when: 'the head size is odd',
    args: train(configFile('odd', { model: { width: 24, heads: 8 } })),
    says: ['model.heads: head size 3 must be even', 'change model.width or model.heads'] },
  { when: 'minLr is above lr',
    args: train(configFile('minlr', { train: { lr: 0.01, minLr: 0.1 } })),
    says: ['train.minLr: 0.1 is above train.lr (0.01)', 'lower it or raise train.lr'] },
  { when: 'the log-variance range is empty',
    args: train(configFile('logvar', { latents: { logVarMin: 3, logVarMax: 2 } })),
    says: ['latents.logVarMin: 3 must be below latents.logVarMax (2)', 'widen the range'] },
  { when: 'an enum value is unknown',
    args: train(configFile('enum', { vi: { optimizer: 'lbfgs' } })),
    says: ['vi.optimizer: must be one of "sgd", "adam", "rmsprop" (got "lbfgs")'] },
  { when: 'the tokenizer is unknown',
    args: train(configFile('tok', { data: { tokenizer: 'bpe' } })),
    says: ['data.tokenizer: must be one of "bytes", "gpt2" (got "bpe")'] },
  { when: 'the backend is unknown', args: train(configFile('gpu', { backend: 'gpu' })),
    says: ['backend: must be one of "auto", "wasm", "cpu", "node" (got "gpu")'] },
  { when: 'the years of the splits are out of order',
    args: train(configFile('years', { data: { trainUntilYear: 2000, validUntilYear: 1990 } })),
    says: ['data.trainUntilYear: 2000 must be before data.validUntilYear (1990)'] },
  { when: 'kind text has no path', args: train(configFile('nopath', { data: { kind: 'text' } })),
    says: ['data.path: data.kind \'text\' needs a path'] },
  { when: 'several fields are wrong at once',
    args: train(configFile('several', { train: { steps: 0, lr: 'x' } })),
    says: ['train.steps: must be >= 1 (got 0)', 'train.lr: must be number (got "x")'] },
];

const tinyConfig = path.join(root, 'configs', 'tiny.json');
const setCases: BadInput[] = [
  { when: '--set has no equals sign', args: train(tinyConfig, '--set', 'train.steps'),
    says: ['--set train.steps: expected path=value, e.g. train.steps=100'] },
  { when: '--set has no path', args: train(tinyConfig, '--set', '=3'),
    says: ['--set =3: expected path=value'] },
  { when: '--set names an unknown field', args: train(tinyConfig, '--set', 'train.stepz=3'),
    says: ['--set train.stepz=3: \'train.stepz\' is not a config field'] },
  { when: '--set goes below a leaf', args: train(tinyConfig, '--set', 'model.width.x=3'),
    says: ['\'model.width.x\' is not a config field'] },
  { when: '--set gives the wrong type', args: train(tinyConfig, '--set', 'train.steps=abc'),
    says: [`${tinyConfig} with --set overrides: invalid config`,
      'train.steps: must be integer (got "abc")'] },
  { when: '--set replaces a section by a number', args: train(tinyConfig, '--set', 'train=3'),
    says: ['train: must be object (got 3)'] },
  { when: '--set is out of range', args: train(tinyConfig, '--set', 'train.batchSize=0'),
    says: ['train.batchSize: must be >= 1 (got 0)'] },
  { when: '--set makes fields conflict', args: train(tinyConfig, '--set', 'model.window=17'),
    says: ['model.window: 17 is larger than model.sequenceLength (16)'] },
];

files['empty.txt'] = '';
files['binary.txt'] = new Uint8Array([104, 105, 0, 1, 2, 3]);
files['latin1.txt'] = new Uint8Array([99, 97, 102, 0xe9, 32, 0xff, 0xfe]);
files['short.txt'] = 'far too short';
files['reserved.txt'] = `${prose(400)} <|endoftext|> ${prose(400)}`;
files['no-text/picture.png'] = new Uint8Array([137, 80, 78, 71]);
files['two-docs/a.txt'] = prose(300);
files['two-docs/b.txt'] = prose(300);
files['hundred.txt'] = prose(100);
files['folder-with-empty/a.txt'] = prose(300);
files['folder-with-empty/b.txt'] = '';
files['bad-line.jsonl'] = `{"text": "${prose(50)}"}\n{"text": oops}\n`;
files['no-field.jsonl'] = `{"text": "${prose(50)}"}\n{"body": "${prose(50)}"}\n`;
files['number-field.jsonl'] = `{"text": 42}\n`;
files['jsonl-folder/a.jsonl'] = '{"text": "a"}\n';

const corpusCases: BadInput[] = [
  { when: 'data.path does not exist',
    args: train(dataConfig('missing', { kind: 'text', path: at('nowhere.txt') })),
    says: [`data.path: ${at('nowhere.txt')} does not exist`, 'fix data.path'] },
  { when: 'the text file is empty',
    args: train(dataConfig('empty', { kind: 'text', path: at('empty.txt') })),
    says: [`${at('empty.txt')}: the file is empty`, 'add text to it or change data.path'] },
  { when: 'the folder has no text files',
    args: train(dataConfig('no-text', { kind: 'text', path: at('no-text') })),
    says: [`${at('no-text')}: the folder holds no .txt or .md files`, 'add text files'] },
  { when: 'the text file is binary',
    args: train(dataConfig('binary', { kind: 'text', path: at('binary.txt') })),
    says: [`${at('binary.txt')}: byte 2 is NUL`, 'point data.path at plain UTF-8 text'] },
  { when: 'the text file is not UTF-8',
    args: train(dataConfig('latin1', { kind: 'text', path: at('latin1.txt') })),
    says: [`${at('latin1.txt')}: not valid UTF-8 text`, 'convert it to UTF-8'] },
  { when: 'the text is shorter than one sequence',
    args: train(dataConfig('short', { kind: 'text', path: at('short.txt') })),
    says: ['the train split has', at('short.txt'), 'model.sequenceLength + 1 = 17',
      'or lower model.sequenceLength'] },
  { when: 'data.validFraction leaves no text to train on',
    args: train(dataConfig('all-held-out', { kind: 'text', path: at('two-docs/a.txt'),
      validFraction: 0.5 })),
    says: ['the train split has 0 tokens', 'lower data.validFraction'] },
  { when: 'data.validFraction leaves too little text to validate on',
    args: train(dataConfig('thin-valid', { kind: 'text', path: at('hundred.txt'),
      validFraction: 0.01 })),
    says: ['the valid split has', 'raise data.validFraction'] },
  { when: 'the text holds <|endoftext|> and the tokenizer is gpt2',
    args: train(dataConfig('reserved', { kind: 'text', path: at('reserved.txt'),
      tokenizer: 'gpt2' })),
    says: [at('reserved.txt'), 'contains the literal <|endoftext|>',
      'set data.tokenizer to "bytes"'] },
  { when: 'a folder holds only two documents',
    args: train(dataConfig('two-docs', { kind: 'text', path: at('two-docs') })),
    says: [`${at('two-docs')}: 2 document(s)`, 'train, valid and test need one each'] },
  { when: 'a file in the folder is empty',
    args: train(dataConfig('with-empty', { kind: 'text', path: at('folder-with-empty') })),
    says: [`${at('folder-with-empty', 'b.txt')}: the file is empty`] },
  { when: 'a JSON line is not JSON',
    args: train(dataConfig('bad-line', { kind: 'jsonl', path: at('bad-line.jsonl') })),
    says: [`${at('bad-line.jsonl')}:2: not valid JSON at column 10`, 'the bare word \'oops\'',
      'fix or remove the line'] },
  { when: 'a JSON line lacks the text field',
    args: train(dataConfig('no-field', { kind: 'jsonl', path: at('no-field.jsonl') })),
    says: [`${at('no-field.jsonl')}:2: the object has no field "text"`,
      'set data.jsonlField'] },
  { when: 'the text field of a JSON line is a number',
    args: train(dataConfig('number', { kind: 'jsonl', path: at('number-field.jsonl') })),
    says: [`${at('number-field.jsonl')}:1: field "text" is a number, not a string`] },
  { when: 'kind jsonl points at a folder',
    args: train(dataConfig('jsonl-folder', { kind: 'jsonl', path: at('jsonl-folder') })),
    says: [`${at('jsonl-folder')}: is a folder`, 'set data.path to a .jsonl file'] },
];

/** The trained run every run-folder case starts from, and the damage done to each copy. */
const base = at('base-run');
const damage: Record<string, (dir: string) => void> = {
  'flipped-weights': (dir) => {
    const file = path.join(dir, 'checkpoints', 'step-00000004', 'weights.bin');
    const bytes = fs.readFileSync(file);
    bytes[7] ^= 0xff;
    fs.writeFileSync(file, bytes);
  },
  'truncated-optimizer': (dir) => {
    for (const step of ['step-00000002', 'step-00000004']) {
      fs.truncateSync(path.join(dir, 'checkpoints', step, 'optimizer.bin'), 40);
    }
  },
  'no-manifest': (dir) => fs.rmSync(
    path.join(dir, 'checkpoints', 'step-00000004', 'manifest.json')),
  'dangling-latest': (dir) => fs.writeFileSync(path.join(dir, 'latest.json'),
    '{"checkpoint": "checkpoints/step-00000099"}\n'),
  'escaping-latest': (dir) => fs.writeFileSync(path.join(dir, 'latest.json'),
    '{"checkpoint": "../../elsewhere"}\n'),
  'garbled-latest': (dir) => fs.writeFileSync(path.join(dir, 'latest.json'), '{"check'),
  'no-latest': (dir) => fs.rmSync(path.join(dir, 'latest.json')),
  'wider': (dir) => editConfig(dir, (config) => { config.model.width = 32; }),
  'ar-config': (dir) => editConfig(dir, (config) => { config.latents.enabled = false; }),
  'unknown-key': (dir) => editConfig(dir, (config) => { config.train.stepz = 4; }),
  'garbled-config': (dir) => fs.writeFileSync(path.join(dir, 'config.json'), '{'),
  'garbled-meta': (dir) => fs.writeFileSync(path.join(dir, 'meta.json'), 'nope'),
};

function editConfig(dir: string, edit: (config: Record<string, Record<string, unknown>>) => void) {
  const file = path.join(dir, 'config.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(config);
  fs.writeFileSync(file, JSON.stringify(config));
}

const run = (name: string) => at('damaged', name);
const checkpoint = (name: string, file: string) =>
  path.join(run(name), 'checkpoints', 'step-00000004', file);

const runCases: BadInput[] = [
  { when: 'a checkpoint byte is flipped', args: ['eval', '--run', run('flipped-weights')],
    says: [`${checkpoint('flipped-weights', 'weights.bin')}: checksum mismatch`, 'corrupt',
      `${path.join(run('flipped-weights'), 'checkpoints', 'step-00000002')} (step 2) is intact`,
      `ltm train --run ${run('flipped-weights')} --resume trains on from it`] },
  { when: 'the optimizer.bin of every checkpoint is truncated',
    args: ['train', '--run', run('truncated-optimizer'), '--resume'],
    says: [`${run('truncated-optimizer')}: no checkpoint to resume from verifies`,
      `${checkpoint('truncated-optimizer', 'optimizer.bin')}: 40 bytes, the manifest says`,
      `${path.join(run('truncated-optimizer'), 'checkpoints', 'step-00000002', 'optimizer.bin')}`
        + ': 40 bytes', 'truncated', 'Restore the damaged files from a copy'] },
  { when: 'eval finds every checkpoint damaged', args: ['eval', '--run',
    run('truncated-optimizer')], says: [`${checkpoint('truncated-optimizer', 'optimizer.bin')}`
    + ': 40 bytes', 'no checkpoint of the run verifies: restore the damaged files'] },
  { when: 'the manifest is missing', args: ['generate', '--run', run('no-manifest')],
    says: [`${checkpoint('no-manifest', 'manifest.json')}: missing or not valid JSON`,
      'incomplete'] },
  { when: 'latest.json points nowhere', args: ['eval', '--run', run('dangling-latest')],
    says: [`${path.join(run('dangling-latest'), 'latest.json')}: names `
      + 'checkpoints/step-00000099, which does not exist',
    `${path.join(run('dangling-latest'), 'checkpoints', 'step-00000004')} (step 4) is intact`,
    `ltm train --run ${run('dangling-latest')} --resume trains on from it`] },
  { when: 'latest.json points outside the run', args: ['eval', '--run', run('escaping-latest')],
    says: ['latest.json: \'checkpoint\' must name checkpoints/step-N'] },
  { when: 'latest.json is not JSON', args: ['eval', '--run', run('garbled-latest')],
    says: ['latest.json: not valid JSON',
      `ltm train --run ${run('garbled-latest')} --resume trains on from it`] },

  { when: 'the run has no checkpoint yet', args: ['eval', '--run', run('no-latest')],
    says: [`${run('no-latest')}: no checkpoint yet`, 'resume the run'] },
  { when: 'the checkpoint is from a wider model', args: ['eval', '--run', run('wider')],
    says: ['weight \'embedding\' is [256, 16], the model needs [256, 32]',
      'different architecture'] },
  { when: 'the checkpoint has latents the config lacks',
    args: ['train', '--run', run('ar-config'), '--resume'],
    says: ['16 weights, the model has 11', 'different architecture'] },
  { when: 'the run config has an unknown key', args: ['eval', '--run', run('unknown-key')],
    says: [`${path.join(run('unknown-key'), 'config.json')}: invalid config`,
      'train.stepz: unknown key'] },
  { when: 'the run config is not JSON', args: ['infer', '--run', run('garbled-config'),
    '--text', at('short.txt')],
  says: [`${path.join(run('garbled-config'), 'config.json')}: not valid JSON at line 1, `
    + 'column 2', 'the run folder is damaged'] },
  { when: 'the run meta is not JSON', args: ['eval', '--run', run('garbled-meta')],
    says: [`${path.join(run('garbled-meta'), 'meta.json')}: not valid JSON at line 1, column 1`,
      'the bare word \'nope\'', 'delete meta.json'] },
  { when: 'eval is given a folder that is not a run', args: ['eval', '--run', scratch],
    says: [`${scratch}: not a run folder (no config.json)`, 'pass the folder that ltm train'] },
  { when: 'generate is given a folder that does not exist',
    args: ['generate', '--run', at('no-such-run')],
    says: [`${at('no-such-run')}: not a run folder`] },
  { when: 'infer is given a folder that is not a run',
    args: ['infer', '--run', at('no-text'), '--text', at('short.txt')],
    says: [`${at('no-text')}: not a run folder`] },
  { when: 'infer --out names a folder',
    args: ['infer', '--run', base, '--text', at('two-docs/a.txt'), '--out', at('two-docs')],
    says: [`--out ${at('two-docs')}: a folder, not a file`, 'posteriors.json'] },
  { when: 'infer --out lies under a file',
    args: ['infer', '--run', base, '--text', at('two-docs/a.txt'), '--out',
      at('short.txt/x.json')], says: [`${at('short.txt')} is a file, not a folder`] },
  { when: 'infer --out cannot be written',
    args: ['infer', '--run', base, '--text', at('two-docs/a.txt'), '--out', '/proc/x.json'],
    says: ['--out /proc/x.json: it cannot be written (ENOENT)'] },
  { when: 'infer --out is empty',
    args: ['infer', '--run', base, '--text', at('two-docs/a.txt'), '--out', ''],
    says: ['--out is empty; name a file'] },
  { when: 'infer --out is in a folder that does not exist',
    args: ['infer', '--run', base, '--text', at('two-docs/a.txt'), '--out',
      at('nowhere/x.json')],
    says: [`the folder ${at('nowhere')} does not exist`, 'create it'] },
  { when: 'infer reads a text shorter than one sequence',
    args: ['infer', '--run', base, '--text', at('short.txt')],
    says: [`${at('short.txt')}: 13 tokens, shorter than one sequence of 17`,
      'pass a longer text'] },
  { when: 'eval reads a binary text', args: ['eval', '--run', base, '--text', at('latin1.txt')],
    says: [`${at('latin1.txt')}: cannot read it as UTF-8 text`] },
  { when: 'infer reads a file that does not exist',
    args: ['infer', '--run', base, '--text', at('nowhere.txt')],
    says: [`${at('nowhere.txt')}: cannot be read`, 'pass the path of a plain-text file'] },
  { when: 'eval is given a folder as its text', args: ['eval', '--run', base, '--text', base],
    says: [`${base}: is a folder`, 'pass the path of a plain-text file'] },
];

const flagCases: BadInput[] = [
  { when: '--samples is 0', args: ['generate', '--run', base, '--samples', '0'],
    says: ['--samples 0: expected a whole number of at least 1'] },
  { when: '--samples is a fraction', args: ['generate', '--run', base, '--samples', '1.5'],
    says: ['--samples 1.5: expected a whole number'] },
  { when: '--temperature is -1', args: ['generate', '--run', base, '--temperature', '-1'],
    says: ['--temperature -1: expected a number of at least 0'] },
  { when: '--temperature is not a number',
    args: ['generate', '--run', base, '--temperature', 'hot'],
    says: ['--temperature hot: expected a number'] },
  { when: '--max-tokens is 0', args: ['generate', '--run', base, '--max-tokens', '0'],
    says: ['--max-tokens 0: expected a whole number of at least 1'] },
  { when: '--top-k is negative', args: ['generate', '--run', base, '--top-k', '-2'],
    says: ['--top-k -2: expected a whole number of at least 0'] },
  { when: '--seed is empty', args: ['generate', '--run', base, '--seed', ''],
    says: ['--seed : expected a whole number'] },
  { when: '--inner-steps is x', args: ['eval', '--run', base, '--inner-steps', 'x'],
    says: ['--inner-steps x: expected a comma-separated list of whole numbers'] },
  { when: '--inner-steps has an empty item',
    args: ['eval', '--run', base, '--inner-steps', '1,,4'],
    says: ['--inner-steps 1,,4: expected'] },
  { when: '--inner-steps is negative', args: ['eval', '--run', base, '--inner-steps', '-1'],
    says: ['--inner-steps -1: expected'] },
  { when: '--split is train', args: ['eval', '--run', base, '--split', 'train'],
    says: ['argument \'train\' is invalid', 'Allowed choices are valid, test'] },
];

const usageCases: BadInput[] = [
  { when: 'no command is given', args: [], says: ['Usage: ltm'] },
  { when: 'the command is unknown', args: ['frobnicate'],
    says: ['unknown command \'frobnicate\'', 'run with --help'] },
  { when: 'a flag is unknown', args: ['params', '--config', tinyConfig, '--fast'],
    says: ['unknown option \'--fast\''] },
  { when: 'eval has no --run', args: ['eval'],
    says: ['required option \'--run <dir>\' not specified'] },
  { when: 'train has no --config', args: ['train', '--run', target],
    says: ['train needs --config FILE'] },
  { when: '--resume has no --run', args: ['train', '--resume'],
    says: ['--resume needs --run DIR'] },
  { when: '--resume comes with --config',
    args: ['train', '--resume', '--run', base, '--config', tinyConfig],
    says: ['--resume continues with the run\'s saved config; drop --config and --set'] },
  { when: '--resume comes with --set',
    args: ['train', '--resume', '--run', base, '--set', 'train.steps=8'],
    says: ['drop --config and --set'] },
  { when: '--run already holds a run', args: ['train', '--config', tinyConfig, '--run', base],
    says: [`${base} already holds a run`, 'pass --resume'] },
  { when: '--run is a file', args: ['train', '--config', tinyConfig, '--run', at('short.txt')],
    says: [`--run ${at('short.txt')}: a file, not a folder`] },
  { when: '--run lies under a file', args: ['train', '--config', tinyConfig, '--run',
    at('short.txt/run')], says: [`${at('short.txt')} is a file, not a folder`] },
  { when: 'no folder can be made where --run points', args: ['train', '--config', tinyConfig,
    '--run', '/proc/ltm-run'], says: ['--run /proc/ltm-run: nothing can be written in /proc',
    'choose another --run folder'] },
  { when: '--run is empty', args: ['train', '--config', tinyConfig, '--run', ''],
    says: ['--run is empty', 'would write into the current folder'] },
  { when: 'main --run is empty', args: ['main', '--config', tinyConfig, '--run', ''],
    says: ['--run is empty'] },
  { when: 'sweep --out is empty', args: ['sweep', '--config', tinyConfig, '--grid',
    'train.steps=1,2', '--out', ''], says: ['--out is empty'] },
  { when: 'sweep is given a reasoner config', args: ['sweep', '--config',
    'configs/sudoku4-gram.json', '--grid', 'train.steps=1,2', '--out', target],
    says: ['configs/sudoku4-gram.json: a reasoner config; ltm sweep works on latent thought '
      + 'models'] },
  { when: 'sweep --grid sweeps the kind', args: ['sweep', '--config', tinyConfig, '--grid',
    'kind=ltm,reasoner', '--out', target], says: ['--grid kind: every cell of a sweep is a '
      + 'latent thought model'] },
  { when: 'sweep --grid sets a reasoner field', args: ['sweep', '--config', tinyConfig,
    '--grid', 'reasoner.width=8,16', '--out', target],
    says: ['--grid reasoner.width: reasoner is read only by reasoners'] },
  { when: 'analyze spectrum is given a reasoner config', args: ['analyze', 'spectrum',
    '--config', 'configs/sudoku4-gram.json'], says: ['a reasoner config; ltm analyze '
      + 'spectrum works on latent thought models'] },
  { when: 'analyze sample-efficiency is given a reasoner config', args: ['analyze',
    'sample-efficiency', '--config', 'configs/sudoku4-gram.json', '--sizes', '10'],
    says: ['a reasoner config; ltm analyze sample-efficiency works'] },
  { when: 'main --resume has an empty --run', args: ['main', '--resume', '--run', ''],
    says: ['--resume needs --run DIR'] },
  { when: 'sweep --out holds files but no sweep', args: ['sweep', '--config', tinyConfig,
    '--grid', 'train.steps=1,2', '--out', base],
    says: [`--out ${base}: the folder holds other files and no sweep`] },
  { when: 'main --run lies under a file', args: ['main', '--config', tinyConfig, '--run',
    at('short.txt/job')], says: [`${at('short.txt')} is a file, not a folder`] },
  { when: 'sweep --out lies under a file', args: ['sweep', '--config', tinyConfig, '--grid',
    'train.steps=1,2', '--out', at('short.txt/sweep')],
    says: [`--out ${at('short.txt/sweep')}`, 'is a file, not a folder'] },
  { when: 'main is given an existing --run', args: ['main', '--config', tinyConfig,
    '--run', base], says: [`--run ${base}: the folder exists`, '--resume to continue'] },
  { when: 'main --resume has no --run', args: ['main', '--resume'],
    says: ['--resume needs --run DIR'] },
  { when: 'main --resume is given --set', args: ['main', '--resume', '--run', base, '--set',
    'train.steps=8'], says: ['drop --config and --set'] },
  { when: 'main --resume names a folder without a job', args: ['main', '--resume', '--run',
    base], says: [`--run ${base}: no job to resume there`, 'pass the folder ltm main wrote'] },
  { when: 'main is given a reasoner config', args: ['main', '--config',
    'configs/sudoku4-gram.json', '--run', target], says: ['configs/sudoku4-gram.json: a '
    + 'reasoner config', 'ltm train --config FILE'] },
  { when: 'main is given a model without latents', args: ['main', '--config', tinyConfig,
    '--set', 'latents.enabled=false', '--run', target],
    says: ['latents.enabled is false', 'drop that setting'] },
  { when: 'params reads a bad config', args: ['params', '--config', at('heads.json')],
    says: ['model.heads: 4 does not divide model.width (30)'] },
];

/** Every file under `dir` with its size and modification time: equal means nothing written. */
function snapshot(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).map((entry) => {
    const full = path.join(entry.parentPath, entry.name);
    const stat = fs.statSync(full);
    return `${full} ${entry.isFile() ? stat.size : 'dir'} ${stat.mtimeMs}`;
  }).sort();
}

function expectRefusal(outcome: CliOutcome, says: string[]): void {
  expect(outcome.code, outcome.stderr).toBe(2);
  for (const fragment of says) expect(outcome.stderr).toContain(fragment);
  expect(outcome.stderr).not.toMatch(/\n\s+at /);
  expect(outcome.stderr).not.toContain('the run failed');
  expect(outcome.stdout).toBe('');
}

beforeAll(async () => {
  for (const [name, contents] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(at(name)), { recursive: true });
    fs.writeFileSync(at(name), contents);
  }
  fs.writeFileSync(at('not-json.json'), '{"model": {');
  fs.writeFileSync(at('empty-config.json'), '');
  const trained = await runCli(['train', '--config', tinyConfig, '--run', base]);
  expect(trained.code, trained.stderr).toBe(0);
  for (const [name, spoil] of Object.entries(damage)) {
    fs.cpSync(base, run(name), { recursive: true });
    spoil(run(name));
  }
});

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

const tables: [string, BadInput[]][] = [['config', configCases], ['--set', setCases],
  ['corpus', corpusCases], ['run folder', runCases], ['flag', flagCases],
  ['usage', usageCases]];

describe.each(tables)('ltm given a bad %s', (_, cases) => {
  it.for(cases)('should exit 2 with a message and write nothing when $when',
    async ({ args, says }) => {
      const before = snapshot(scratch);
      expectRefusal(await runCli(args), says);
      expect(fs.existsSync(target)).toBe(false);
      expect(snapshot(scratch)).toEqual(before);
    });
});

describe('the table of bad inputs', () => {
  it('should hold at least 50 cases when counted', () => {
    expect(tables.reduce((sum, [, cases]) => sum + cases.length, 0)).toBeGreaterThanOrEqual(50);
  });
});

describe.concurrent('ltm as a real process given bad input', () => {
  const spawned = [configCases[0], corpusCases[3], runCases[1]];
  it.for(spawned)('should exit 2 with the same message when $when', async ({ args, says }) => {
    const ltm = startLtm(args);
    const { code } = await ltm.ended;
    const outcome = { code: code ?? -1, stdout: ltm.stdout(), stderr: ltm.stderr() };
    expectRefusal(outcome, says);
    expect(outcome.stderr.match(/^ltm: /gm)).toHaveLength(1);
    expect(fs.existsSync(target)).toBe(false);
  });
});
