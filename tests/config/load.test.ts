// Loading configs: every shipped config passes, defaults come from the schema, and --set
// overrides go through the same validation as files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOverrides, loadConfig, resolveConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';

const configFolder = 'configs';
const shipped = fs.readdirSync(configFolder).filter((file) => file.endsWith('.json'));

describe('configs/', () => {
  it('should hold the default, tiny and hidden-topic configs', () => {
    expect(shipped).toEqual(expect.arrayContaining(['default.json', 'tiny.json',
      'hidden-topic.json']));
  });

  it.each(shipped)('should validate %s when loaded as shipped', (file) => {
    const { config, name } = loadConfig(path.join(configFolder, file));
    expect(name).toBe(file.replace(/\.json$/, ''));
    expect(config.model.window).toBeLessThanOrEqual(config.model.sequenceLength);
  });

  it('should keep what default.json says when it is loaded', () => {
    const { config } = loadConfig(path.join(configFolder, 'default.json'));
    expect(config.model).toMatchObject({ layers: 2, width: 128, sequenceLength: 64, window: 16 });
    expect(config.vi).toMatchObject({ innerSteps: 4, optimizer: 'sgd', maxStepNorm: 1 });
    expect(config.train.steps).toBe(600);
  });
});

describe('resolveConfig', () => {
  it('should fill every section with the schema defaults when given nothing', () => {
    const config = resolveConfig();
    expect(config.backend).toBe('auto');
    expect(config.data).toMatchObject({ kind: 'sotu', tokenizer: 'bytes', trainUntilYear: 1980 });
    expect(config.model).toMatchObject({ layers: 2, width: 128, heads: 4, window: 16 });
    expect(config.latents).toMatchObject({ enabled: true, perLayer: 4, dim: 32, initLogVar: 0 });
    expect(config.vi).toMatchObject({ innerSteps: 4, optimizer: 'sgd', gradientScale: 'token',
      decoderGradient: 'final', resampleNoise: false });
    expect(config.train).toMatchObject({ steps: 600, seed: 1, onNonFinite: 'stop' });
    expect(config.eval).toMatchObject({ noiseSamples: 2, prefixFraction: 0.5 });
  });

  it('should keep given fields and fill their siblings when a section is partial', () => {
    const config = resolveConfig({ model: { width: 64 } });
    expect(config.model.width).toBe(64);
    expect(config.model.layers).toBe(2);
  });

  it('should apply overrides with JSON values when they are given', () => {
    const config = resolveConfig({}, ['model.width=64', 'latents.enabled=false',
      'vi.optimizer=adam', 'description=a b']);
    expect(config.model.width).toBe(64);
    expect(config.latents.enabled).toBe(false);
    expect(config.vi.optimizer).toBe('adam');
    expect(config.description).toBe('a b');
  });
});

describe('--set overrides', () => {
  let folder: string;
  let file: string;

  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-config-'));
    file = path.join(folder, 'small.json');
    fs.writeFileSync(file, JSON.stringify({ model: { width: 64 } }));
  });

  afterAll(() => {
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('should change the field when the override is valid', () => {
    expect(loadConfig(file, ['model.width=32']).config.model.width).toBe(32);
  });

  it('should reject a wrong type with its path when the override is not a number', () => {
    expect(() => loadConfig(file, ['model.width=wide'])).toThrow(ConfigError);
    expect(() => loadConfig(file, ['model.width=wide'])).toThrow(
      /with --set overrides: invalid config\n {2}- model\.width: must be integer/);
  });

  it('should show Infinity when an override overflows a number', () => {
    expect(() => loadConfig(file, ['model.width=1e400'])).toThrow(/got Infinity/);
  });

  it('should reject an out-of-range override with its path', () => {
    expect(() => loadConfig(file, ['train.steps=0'])).toThrow(/train\.steps: must be >= 1/);
  });

  it('should reject an override that breaks a cross-field rule', () => {
    expect(() => loadConfig(file, ['model.window=65'])).toThrow(/model\.window: 65 is larger/);
  });

  it('should reject an override of an unknown field naming it', () => {
    expect(() => applyOverrides({}, ['model.widht=3'])).toThrow(
      "--set model.widht=3: 'model.widht' is not a config field");
  });

  it('should name the nearest field when an override misspells one', () => {
    expect(() => applyOverrides({}, ['model.widht=3'])).toThrow("did you mean 'width'?");
  });

  it('should list the known keys, not a far-off name, when a short key matches none', () => {
    expect(() => applyOverrides({}, ['foo=1'])).toThrow(
      /'foo' is not a config field; known keys: /);
    expect(() => applyOverrides({}, ['foo=1'])).not.toThrow(/did you mean/);
  });

  it.each(['constructor.prototype.x=1', '__proto__.x=1', 'model.toString=1'])(
    'should refuse %s as an unknown field when it names a property of every object',
    (override) => {
      expect(() => applyOverrides({}, [override])).toThrow(/is not a config field; known keys/);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });

  it('should say a field holds no fields when an override reaches inside a number', () => {
    expect(() => applyOverrides({}, ['model.width.size=3'])).toThrow(
      "'model.width.size' is not a config field; 'model.width' holds no fields");
  });

  it('should keep a text field as typed when its value reads as JSON', () => {
    const config = applyOverrides({}, ['data.path=2020', 'description=true']) as {
      data: { path: unknown }; description: unknown;
    };
    expect(config.data.path).toBe('2020');
    expect(config.description).toBe('true');
  });

  it('should still parse JSON when the field is not text', () => {
    const config = applyOverrides({}, ['model.width=32']) as { model: { width: unknown } };
    expect(config.model.width).toBe(32);
  });

  it('should reject an override without = when it is malformed', () => {
    expect(() => applyOverrides({}, ['model.width'])).toThrow(/expected path=value/);
  });

  it('should not change the base object when overrides are applied', () => {
    const base = { model: { width: 64 } };
    applyOverrides(base, ['model.width=32']);
    expect(base.model.width).toBe(64);
  });
});

describe('loadConfig and the sections of a kind', () => {
  let folder: string;
  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-kind-'));
  });
  afterAll(() => {
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('should refuse the reasoner sections when an override makes a reasoner config ltm', () => {
    expect(() => loadConfig('configs/sudoku4-gram.json', ['kind=ltm'])).toThrow(
      "puzzles: sets values only kind 'reasoner' reads, but kind is 'ltm'; drop the section or "
      + "set kind to 'reasoner'");
  });

  it('should refuse a model section when the kind is reasoner', () => {
    const file = path.join(folder, 'mixed.json');
    fs.writeFileSync(file, JSON.stringify({ kind: 'reasoner', model: { width: 64 } }));
    expect(() => loadConfig(file)).toThrow("model: sets values only kind 'ltm' reads");
  });

  it('should refuse an override that adds a section the kind never reads', () => {
    expect(() => loadConfig('configs/tiny.json', ['reasoner.width=8'])).toThrow(
      "reasoner: sets values only kind 'reasoner' reads, but kind is 'ltm'");
  });

  it.each(['configs/tiny.json', 'configs/sudoku4-gram.json'])(
    'should load a saved run config, every section filled in, when it came from %s', (source) => {
      const saved = path.join(folder, 'config.json');
      fs.writeFileSync(saved, JSON.stringify(loadConfig(source).config, null, 2));
      expect(loadConfig(saved).config).toEqual(loadConfig(source).config);
    });

  it('should accept a section of the other kind when it only repeats the defaults', () => {
    const file = path.join(folder, 'repeats.json');
    fs.writeFileSync(file, JSON.stringify({ reasoner: {}, puzzles: {} }));
    expect(loadConfig(file).config.kind).toBe('ltm');
  });

  it('should accept shared sections with either kind', () => {
    expect(loadConfig('configs/sudoku4-gram.json', ['train.steps=3']).config.train.steps)
      .toBe(3);
  });
});

describe('loadConfig', () => {
  it('should throw ConfigError naming the file when it does not exist', () => {
    expect(() => loadConfig('configs/missing.json')).toThrow(
      'configs/missing.json: cannot read the config file');
  });

  it('should throw ConfigError naming the file when it is not JSON', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-config-'));
    const broken = path.join(folder, 'broken.json');
    fs.writeFileSync(broken, '{ "model": ');
    expect(() => loadConfig(broken)).toThrow(`${broken}: not valid JSON`);
    fs.writeFileSync(broken, '[1, 2]');
    expect(() => loadConfig(broken)).toThrow('a config must be a JSON object');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it.for([
    { when: 'a value is a bare word', text: '{\n  "data": {\n    "kind": text\n  }\n}\n',
      says: 'line 3, column 13, near \'"kind": text\': the bare word \'text\'; fix the file\'s '
        + 'syntax: put text in double quotes' },
    { when: 'the file is cut short', text: '{\n  "train": {\n    "steps": 4\n',
      says: 'line 3, column 15, near \'"steps": 4\': the text ends with \'}}\' still to close; '
        + 'fix the file\'s syntax: add what is missing, then \'}}\'' },
    { when: 'the file has CRLF endings and a trailing comma',
      text: '{\r\n  "train": {"steps": 4,},\r\n}\r\n',
      says: 'line 2, column 24, near \'"train": {"steps": 4,},\': a comma right before \'}\'' },
  ])('should name the line and column when $when', ({ text, says }) => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-config-'));
    const broken = path.join(folder, 'broken.json');
    fs.writeFileSync(broken, text);
    expect(() => loadConfig(broken)).toThrow(`${broken}: not valid JSON at ${says}`);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('should load the file when it starts with a byte order mark', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ltm-config-'));
    const marked = path.join(folder, 'marked.json');
    fs.writeFileSync(marked, '\uFEFF{"train": {"steps": 7}}\r\n');
    expect(loadConfig(marked).config.train.steps).toBe(7);
    fs.rmSync(folder, { recursive: true, force: true });
  });
});
