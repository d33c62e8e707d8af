import { InvalidInputError } from '../../../engine/src/errors';
import {
  checkPasswordPolicy,
  DEFAULT_SCRYPT_PARAMETERS,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  parsePasswordHash,
  verifyPassword,
} from '../../../api/src/auth/passwords';

/** Cheap parameters where the cost is not what the test is about. */
const FAST = { N: 1024, r: 8, p: 1 };

describe('auth/passwords', () => {
  describe('hashPassword / verifyPassword', () => {
    it('should verify the password it hashed', async () => {
      // given
      const encoded = await hashPassword('mật khẩu đúng 2026');

      // when
      const ok = await verifyPassword('mật khẩu đúng 2026', encoded);

      // then
      expect(ok).toBe(true);
    });

    it('should not verify a wrong password', async () => {
      // given
      const encoded = await hashPassword('correct horse battery', FAST);

      // when
      const results = await Promise.all(['correct horse batterY', 'correct horse battery ', 'x'].map((p) => verifyPassword(p, encoded)));

      // then
      expect(results).toEqual([false, false, false]);
    });

    it('should encode as scrypt$N$r$p$salt$hash with the memory-hard default parameters', async () => {
      // when
      const encoded = await hashPassword('correct horse battery');

      // then
      expect(encoded).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
      const parsed = parsePasswordHash(encoded)!;
      expect(parsed.parameters).toEqual({ N: 2 ** 15, r: 8, p: 1 });
      expect(DEFAULT_SCRYPT_PARAMETERS).toEqual({ N: 32768, r: 8, p: 1 });
      expect(parsed.salt).toHaveLength(16);
      expect(parsed.key).toHaveLength(32);
    });

    it('should salt every hash differently', async () => {
      // when
      const [a, b] = await Promise.all([hashPassword('same password', FAST), hashPassword('same password', FAST)]);

      // then
      expect(a).not.toEqual(b);
      expect(await verifyPassword('same password', a)).toBe(true);
      expect(await verifyPassword('same password', b)).toBe(true);
    });

    it('should verify a hash made with other parameters (read from the hash)', async () => {
      // given
      const encoded = await hashPassword('correct horse battery', { N: 2048, r: 4, p: 2 });

      // then
      expect(encoded.startsWith('scrypt$2048$4$2$')).toBe(true);
      expect(await verifyPassword('correct horse battery', encoded)).toBe(true);
    });

    it('should verify a Vietnamese password typed precomposed or with combining marks', async () => {
      // given: "Việt Nam" with ệ as one code point
      const composed = 'Vi\u1EC7t Nam 2026';
      const decomposed = composed.normalize('NFD');
      expect(decomposed).not.toEqual(composed);
      const encoded = await hashPassword(composed, FAST);

      // then
      expect(await verifyPassword(decomposed, encoded)).toBe(true);
    });

    it('should reject an empty or over-long password with a clear error', async () => {
      // given
      const encoded = await hashPassword('correct horse battery', FAST);
      const tooLong = 'a'.repeat(MAX_PASSWORD_LENGTH + 1);

      // then
      await expect(hashPassword('')).rejects.toThrow(InvalidInputError);
      await expect(hashPassword('')).rejects.toThrow('The password is empty');
      await expect(hashPassword(tooLong)).rejects.toThrow(`longer than ${MAX_PASSWORD_LENGTH} characters`);
      await expect(verifyPassword('', encoded)).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'password' } });
      await expect(verifyPassword(tooLong, encoded)).rejects.toThrow(InvalidInputError);
      // 1024 characters are still fine (counted as characters, not UTF-16 units)
      await expect(hashPassword('ệ'.repeat(MAX_PASSWORD_LENGTH), FAST)).resolves.toMatch(/^scrypt\$/);
    });

    it('should answer false for a hash it cannot read, without hashing with its parameters', async () => {
      // given
      const good = await hashPassword('correct horse battery', FAST);
      const [, , , , salt, key] = good.split('$');
      const bad = [
        '',
        'plain-text',
        `bcrypt$1024$8$1$${salt}$${key}`,
        `scrypt$1000$8$1$${salt}$${key}`, // N not a power of two
        `scrypt$${2 ** 24}$8$1$${salt}$${key}`, // N too large: would need gigabytes
        `scrypt$1024$8$1$${salt}`,
        `scrypt$1024$8$1$${salt}$not base64!`,
      ];

      // then
      for (const encoded of bad) expect(await verifyPassword('correct horse battery', encoded)).toBe(false);
    });
  });

  describe('checkPasswordPolicy', () => {
    it.each([
      ['', 'The password is empty'],
      ['1234567', 'at least 8 characters'],
      ['a'.repeat(MAX_PASSWORD_LENGTH + 1), 'longer than 1024'],
    ])('should refuse %j', (password, message) => {
      expect(() => checkPasswordPolicy(password)).toThrow(message);
      expect(() => checkPasswordPolicy(password)).toThrow(InvalidInputError);
    });

    it.each(['12345678', 'mật khẩu', 'a'.repeat(MAX_PASSWORD_LENGTH)])('should accept a password of %#', (password) => {
      expect(() => checkPasswordPolicy(password)).not.toThrow();
    });
  });
});
