// The sweep grid: parsing --grid, expansion into cells in a fixed order with folder names,
// and validation of every cell's config with errors that name the cell and the field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';
import {
  cellConfigs, checkGrid, expandGrid, parseGridAxis, type GridAxis,
} from '../../src/report/grid.js';

function thrown(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseGridAxis', () => {
  it('should read numbers as numbers when the values are JSON', () => {
    expect(parseGridAxis('latents.perLayer=1,2,4,8')).toEqual({
      path: 'latents.perLayer', values: [1, 2, 4, 8],
    });
    expect(parseGridAxis('latents.enabled=true,false').values).toEqual([true, false]);
  });

  it('should keep plain words as strings when they are not JSON', () => {
    expect(parseGridAxis('vi.optimizer=sgd, adam').values).toEqual(['sgd', 'adam']);
  });

  it('should name the field and point to the reference when the path is unknown', () => {
    const error = thrown(() => parseGridAxis('latents.perlayer=1,2'));
    expect(error.message).toContain("'latents.perlayer' is not a config field");
  });

  it('should ask for one field when the path names a group', () => {
    expect(thrown(() => parseGridAxis('latents=1')).message).toContain('is a group of fields');
  });

  it('should show the expected form when there is no = or no value', () => {
    expect(thrown(() => parseGridAxis('latents.perLayer')).message).toContain('path=v1,v2');
    expect(thrown(() => parseGridAxis('latents.perLayer=')).message).toContain('path=v1,v2');
  });
});

describe('checkGrid', () => {
  it('should refuse when the grid is empty, a path repeats or a value repeats', () => {
    expect(thrown(() => checkGrid([])).message).toContain('the grid is empty');
    const twice = [{ path: 'vi.innerSteps', values: [1] }, { path: 'vi.innerSteps', values: [2] }];
    expect(thrown(() => checkGrid(twice)).message).toContain('named twice');
    expect(thrown(() => checkGrid([{ path: 'vi.innerSteps', values: [2, 4, 2] }])).message)
      .toContain('value 2 is listed twice');
  });
});

describe('expandGrid', () => {
  it('should vary the first axis slowest and name cells by their values when expanded', () => {
    const cells = expandGrid([
      { path: 'latents.perLayer', values: [1, 2] },
      { path: 'vi.innerSteps', values: [0, 4] },
    ]);
    expect(cells.map((cell) => cell.name)).toEqual([
      'latents.perLayer=1+vi.innerSteps=0', 'latents.perLayer=1+vi.innerSteps=4',
      'latents.perLayer=2+vi.innerSteps=0', 'latents.perLayer=2+vi.innerSteps=4',
    ]);
    expect(cells[1].overrides).toEqual(['latents.perLayer=1', 'vi.innerSteps=4']);
    expect(cells[1].values).toEqual({ 'latents.perLayer': 1, 'vi.innerSteps': 4 });
  });

  it('should quote string values in overrides but not in names when they are words', () => {
    const [cell] = expandGrid([{ path: 'vi.optimizer', values: ['adam'] }]);
    expect(cell.name).toBe('vi.optimizer=adam');
    expect(cell.overrides).toEqual(['vi.optimizer="adam"']);
  });

  it('should give the product of the axis lengths in cells, all named apart, for any grid', () => {
    const paths = ['latents.perLayer', 'vi.innerSteps', 'train.seed', 'model.layers'];
    const grid = fc.uniqueArray(fc.constantFrom(...paths), { minLength: 1, maxLength: 4 })
      .chain((chosen) => fc.tuple(...chosen.map((path) => fc.uniqueArray(
        fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 4 })
        .map((values): GridAxis => ({ path, values })))));
    fc.assert(fc.property(grid, (axes) => {
      const cells = expandGrid(axes);
      const product = axes.reduce((total, axis) => total * axis.values.length, 1);
      expect(cells).toHaveLength(product);
      expect(new Set(cells.map((cell) => cell.name)).size).toBe(product);
      for (const cell of cells) expect(cell.overrides).toHaveLength(axes.length);
    }), { numRuns: 50 });
  });
});

describe('cellConfigs', () => {
  const base = resolveConfig({ model: { sequenceLength: 16, window: 8 } });

  it('should give each cell its values on top of the base config when all are valid', () => {
    const cells = expandGrid([{ path: 'latents.perLayer', values: [1, 8] }]);
    const configs = cellConfigs(base, cells);
    expect(configs.map((config) => config.latents.perLayer)).toEqual([1, 8]);
    expect(configs[1].model.window).toBe(8);
  });

  it('should name the bad cell and field when a grid value breaks the schema', () => {
    const cells = expandGrid([
      { path: 'latents.perLayer', values: [1, 0] },
      { path: 'vi.innerSteps', values: [2] },
    ]);
    const error = thrown(() => cellConfigs(base, cells));
    expect(error.message).toContain('sweep cell latents.perLayer=0+vi.innerSteps=2');
    expect(error.problems).toEqual(['cell latents.perLayer=0+vi.innerSteps=2: '
      + 'latents.perLayer: must be >= 1 (got 0)']);
  });

  it('should name the cell when a value breaks a rule across fields', () => {
    const cells = expandGrid([{ path: 'model.window', values: [8, 32] }]);
    const error = thrown(() => cellConfigs(base, cells));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^cell model\.window=32: model\.window: 32 is larger/);
  });
});
