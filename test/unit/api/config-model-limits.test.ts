import { loadConfig } from '../../../api/src/config';
import { DEFAULT_LIMITS } from '../../../engine/src/limits';

describe('api/config model limits', () => {
  it('should default every limit', () => {
    // when
    const config = loadConfig({});

    // then
    expect(config.limits).toEqual(DEFAULT_LIMITS);
  });

  it('should read each limit from its variable', () => {
    // when
    const config = loadConfig({
      MOTCUA_MAX_MULTI_INSTANCE: '50',
      MOTCUA_MULTI_INSTANCE_CHUNK: '5',
      MOTCUA_MIN_TIMER_CYCLE_MS: '0',
      MOTCUA_MAX_NESTING_DEPTH: '8',
    });

    // then
    expect(config.limits).toMatchObject({ maxMultiInstance: 50, multiInstanceChunk: 5, minTimerCycleMs: 0, maxNestingDepth: 8 });
  });

  it.each([
    ['MOTCUA_MAX_MULTI_INSTANCE', '-1'],
    ['MOTCUA_MULTI_INSTANCE_CHUNK', '0'],
    ['MOTCUA_MIN_TIMER_CYCLE_MS', '1.5'],
    ['MOTCUA_MAX_NESTING_DEPTH', 'deep'],
  ])('should refuse %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^configuration: ${name} must be an integer`));
  });
});
