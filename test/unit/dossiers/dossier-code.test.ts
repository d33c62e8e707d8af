import fc from 'fast-check';
import { formatDossierCode, parseCodePattern, parseDossierCode } from '../../../onestop/src/dossiers/dossier-code';
import { bundledDossierRules, rulesInForce } from '../../../onestop/src/dossiers/dossier-rules';
import { DossierCodeError } from '../../../onestop/src/dossiers/errors';
import { at } from '../../support/local-time';

const setting = rulesInForce(bundledDossierRules(), '2026-11-23').dossierCode;
const options = { pattern: setting.pattern, agencyIdentifier: setting.agencyIdentifier };

function codeError(fn: () => unknown): DossierCodeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DossierCodeError);
    return error as DossierCodeError;
  }
  throw new Error('expected a DossierCodeError');
}

describe('dossiers/dossier-code', () => {
  describe('formatDossierCode', () => {
    it.each<[rule: string, agency: string, receivedAt: string, sequence: number, pattern: string, expected: string]>([
      ['Decree 118 art. 28 / DOMAIN.md example: the first dossier of 23/11/2026', '000.00.15.H29', '2026-11-23 08:00', 1, '{agency}-{yymmdd}-{seq:4}', '000.00.15.H29-261123-0001'],
      ['the sequence is zero-padded to the pattern width', '000.00.15.H29', '2026-11-23 08:00', 42, '{agency}-{yymmdd}-{seq:4}', '000.00.15.H29-261123-0042'],
      ['the largest sequence of {seq:4}', '000.00.15.H29', '2026-11-23 08:00', 9999, '{agency}-{yymmdd}-{seq:4}', '000.00.15.H29-261123-9999'],
      ['the date is Vietnam’s: 00:30 local on 24/11 is still 23/11 in UTC', '000.00.15.H29', '2026-11-24 00:30', 3, '{agency}-{yymmdd}-{seq:4}', '000.00.15.H29-261124-0003'],
      ['a setting may use a four-digit year and a wider sequence', '000.00.00.G12', '2027-01-04 09:00', 7, '{agency}/{yyyymmdd}/{seq:6}', '000.00.00.G12/20270104/000007'],
    ])('%s', (_rule, agency, receivedAt, sequence, pattern, expected) => {
      expect(formatDossierCode({ agency, receivedAt: at(receivedAt), sequence }, { pattern, agencyIdentifier: setting.agencyIdentifier })).toBe(expected);
    });

    it.each<[what: string, fields: { agency: string; receivedAt: number; sequence: number }, message: string, field: string]>([
      ['a sequence over the width', { agency: '000.00.15.H29', receivedAt: at('2026-11-23 08:00'), sequence: 10000 }, "the daily sequence 10000 does not fit the pattern's 4 digits (at most 9999 dossiers a day): widen {seq:4} in the dossier code setting", 'sequence'],
      ['sequence 0', { agency: '000.00.15.H29', receivedAt: at('2026-11-23 08:00'), sequence: 0 }, 'the daily sequence must be a whole number from 1, got 0', 'sequence'],
      ['a fractional sequence', { agency: '000.00.15.H29', receivedAt: at('2026-11-23 08:00'), sequence: 1.5 }, 'the daily sequence must be a whole number from 1, got 1.5', 'sequence'],
      ['an agency not in the Decision 20/2020 format', { agency: 'UBND-VuNinh', receivedAt: at('2026-11-23 08:00'), sequence: 1 }, 'the agency identifier "UBND-VuNinh" is not in the format of Decision 20/2020/QĐ-TTg (expected to match /^[0-9]{3}\\.[0-9]{2}\\.[0-9]{2}\\.[A-Z][0-9]{2}$/, e.g. "000.00.15.H29")', 'agency'],
      ['an empty agency', { agency: '', receivedAt: at('2026-11-23 08:00'), sequence: 1 }, 'the agency identifier must be a non-empty string, got ""', 'agency'],
      ['a receipt time that is not a number', { agency: '000.00.15.H29', receivedAt: Number.NaN, sequence: 1 }, 'the receipt time must be epoch milliseconds, got null', 'receivedAt'],
    ])('should refuse %s with a clear error', (_what, fields, message, field) => {
      const error = codeError(() => formatDossierCode(fields, options));
      expect(error.message).toBe(message);
      expect(error.details.field).toBe(field);
    });
  });

  describe('parseCodePattern', () => {
    it.each<[pattern: string, message: string]>([
      ['{agency}-{yymmdd}', 'must have {seq:N} exactly once'],
      ['{agency}-{yymmdd}-{seq:4}-{seq:2}', 'must have {seq:N} exactly once'],
      ['{yymmdd}-{seq:4}', 'must have {agency} exactly once'],
      ['{agency}-{seq:4}', 'must have {yymmdd} or {yyyymmdd} exactly once'],
      ['{agency}-{ddmmyy}-{seq:4}', 'has an unknown field {ddmmyy}'],
      ['{agency}-{yymmdd}-{seq:0}', '{seq:N} needs N from 1 to 9, got 0'],
      ['{agency}-{yymmdd}-{seq:12}', '{seq:N} needs N from 1 to 9, got 12'],
      ['{agency}-{yymmdd}-{seq:4', 'has an unmatched brace'],
      ['{agency}{yymmdd}-{seq:4}', 'needs a literal separator after {agency}'],
      ['', 'must be a non-empty string'],
    ])('should refuse %j', (pattern, message) => {
      expect(codeError(() => parseCodePattern(pattern)).message).toContain(message);
    });
  });

  describe('parseDossierCode', () => {
    it('should read the DOMAIN.md example back', () => {
      expect(parseDossierCode('000.00.15.H29-261123-0001', options)).toEqual({ agency: '000.00.15.H29', date: '2026-11-23', sequence: 1 });
    });

    it.each<[code: string, message: string]>([
      ['000.00.15.H29-261123-001', 'is not a dossier code of the pattern'],
      ['000.00.15.H29-261131-0001', 'names an unreal date (2026-11-31)'],
      ['000.00.15.H29-261123-0000', 'has sequence 0'],
      ['H29-261123-0001', 'is not in the format of Decision 20/2020/QĐ-TTg'],
      ['', 'is not a dossier code of the pattern'],
    ])('should refuse %j', (code, message) => {
      expect(codeError(() => parseDossierCode(code, options)).message).toContain(message);
    });

    it('should give back what was formatted, for any agency, day and sequence (property)', () => {
      const agency = fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom('G', 'H', 'A'), fc.integer({ min: 0, max: 99 })).map(([a, b, c, l, d]) => `${String(a).padStart(3, '0')}.${String(b).padStart(2, '0')}.${String(c).padStart(2, '0')}.${l}${String(d).padStart(2, '0')}`);
      fc.assert(
        fc.property(agency, fc.integer({ min: at('2025-01-01'), max: at('2099-12-31 23:59') }), fc.integer({ min: 1, max: 9999 }), (agencyId, receivedAt, sequence) => {
          const code = formatDossierCode({ agency: agencyId, receivedAt, sequence }, options);
          const fields = parseDossierCode(code, options);
          expect(fields).toEqual({ agency: agencyId, date: new Date(receivedAt + 7 * 3_600_000).toISOString().slice(0, 10), sequence });
        }),
      );
    });
  });
});
