import { loadConfig } from '../../../api/src/config';
import { DEFAULT_LIMITS } from '../../../engine/src/limits';

describe('api/config limits', () => {
  it('should default every limit', () => {
    expect(loadConfig({}).limits).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS).toMatchObject({ feelMaxOperations: 250_000, feelMaxResultBytes: 1_048_576, maxVariableBytes: 1_048_576, maxStateBytes: 8_388_608 });
  });

  it('should read the four settings', () => {
    const env = { MOTCUA_FEEL_MAX_OPERATIONS: '50000', MOTCUA_FEEL_MAX_RESULT_BYTES: '65536', MOTCUA_MAX_VARIABLE_BYTES: '131072', MOTCUA_MAX_STATE_BYTES: '1048576' };
    expect(loadConfig(env).limits).toMatchObject({ feelMaxOperations: 50_000, feelMaxResultBytes: 65_536, maxVariableBytes: 131_072, maxStateBytes: 1_048_576 });
  });

  it.each([
    ['MOTCUA_FEEL_MAX_OPERATIONS', 'lots'],
    ['MOTCUA_FEEL_MAX_OPERATIONS', '10'],
    ['MOTCUA_FEEL_MAX_RESULT_BYTES', '1.5'],
    ['MOTCUA_MAX_VARIABLE_BYTES', '-1'],
    ['MOTCUA_MAX_STATE_BYTES', '100'],
  ])('should refuse %s=%s, naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`configuration: ${name} must be an integer`));
  });
});
