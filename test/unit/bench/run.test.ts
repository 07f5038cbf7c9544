import { join } from 'node:path';
import { resultsPath } from '../../../bench/run';

const ROOT = join(__dirname, '..', '..', '..');

describe('resultsPath', () => {
  it('writes to the git-ignored .bench/ by default, so a run does not dirty the checkout', () => {
    expect(resultsPath([])).toBe(join(ROOT, '.bench', 'results.json'));
  });

  it('writes the tracked bench/results.json with --publish', () => {
    expect(resultsPath(['--publish'])).toBe(join(ROOT, 'bench', 'results.json'));
  });

  it('fails on any other argument', () => {
    expect(() => resultsPath(['--out', 'x'])).toThrow('unknown argument --out x: the only option is --publish');
  });
});
