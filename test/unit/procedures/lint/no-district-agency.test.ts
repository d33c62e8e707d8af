/**
 * onestop/procedures/lint/rules/no-district-agency: no district-level agency since the two-tier reform.
 */
import { changed, findingsOf, PROCEDURE } from './lint-fixture';

const RULE = 'motcua/no-district-agency';

describe('procedures/lint/no-district-agency', () => {
  it('should accept commune and province agencies', async () => {
    expect(await findingsOf(RULE, PROCEDURE, { procedure: { agencies: [{ id: '000.01.00.H29', level: 'commune' }] } })).toEqual([]);
  });

  it('should report a lane, pool or step that names a district unit, on that element', async () => {
    const xml = changed(
      ['name="UBND xã – Chủ tịch"', 'name="UBND huyện – Chủ tịch"'],
      ['name="Thủ tục mẫu – UBND xã"', 'name="Thủ tục mẫu – Quận 3"'],
      ['name="Thẩm định"', 'name="Chuyển phòng chuyên môn cấp huyện thẩm định"'],
    );
    expect((await findingsOf(RULE, xml)).map((f) => f.split(':')[0]).sort()).toEqual(['examine', 'head', 'pool']);
  });

  it('should not mistake words that only contain a district word', async () => {
    // "Thủ tục quận" would be; "huyệnx" or "thị xã" inside another word would not
    const xml = changed(['name="Thẩm định"', 'name="Thẩm định (không qua huyệnlộ)"']);
    expect(await findingsOf(RULE, xml)).toEqual([]);
  });

  it('should report an agency the procedure library lists at district level', async () => {
    const xml = changed(['<motcua:facts statutoryTime="0.5" timeUnit="workingDays" dossierStatus="received" />', '<motcua:facts agency="000.05.00.H29" statutoryTime="0.5" timeUnit="workingDays" dossierStatus="received" />']);
    expect(await findingsOf(RULE, xml, { procedure: { agencies: [{ id: '000.05.00.H29', level: 'district' }] } })).toEqual([
      expect.stringMatching(/^receive: Agency 000.05.00.H29 is a district-level agency/),
    ]);
    expect(await findingsOf(RULE, xml, { config: { rules: { [RULE]: ['error', { districtAgencies: ['000.05.00.H29'] }] } } })).toHaveLength(1);
  });
});
