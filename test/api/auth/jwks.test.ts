/**
 * Tokens of an external identity provider, verified against a key set served by a
 * local HTTP server on 127.0.0.1 (never the internet).
 */
import { generateKeyPair, SignJWT } from 'jose';
import { UnauthorizedError } from '../../../api/src/auth/errors';
import { createJwksVerifier } from '../../../api/src/auth/jwks';
import { PROVIDER_AUDIENCE as AUDIENCE, PROVIDER_ISSUER as ISSUER, startLocalIdentityProvider, type LocalIdentityProvider } from './local-identity-provider';

const T0 = Date.UTC(2026, 10, 24, 1, 30, 0);
const IAT = T0 / 1000;

async function reasonOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthorizedError);
    return (error as UnauthorizedError).details.reason;
  }
  throw new Error('expected the token to be refused');
}

describe('auth/jwks', () => {
  let provider: LocalIdentityProvider;
  beforeAll(async () => {
    provider = await startLocalIdentityProvider();
  });
  afterAll(() => provider.close());

  const verifier = () => createJwksVerifier({ url: provider.url, issuer: ISSUER, audience: AUDIENCE, now: () => T0 });

  it('should map a valid token of the provider to a principal, dropping unknown roles', async () => {
    // given
    const token = await provider.sign(
      { name: 'Nguyễn Thị Lan', roles: ['official', 'uma_authorization'], agency: '000.00.15.H29', groups: ['desk'] },
      { iat: IAT },
    );

    // when
    const principal = await verifier().verify(token);

    // then
    expect(principal).toEqual({ id: 'kc-7f3a', name: 'Nguyễn Thị Lan', roles: ['official'], agency: '000.00.15.H29', groups: ['desk'] });
  });

  it('should read roles, agency and groups from the configured claims', async () => {
    // given: Keycloak-style nested roles and a namespaced agency claim
    const token = await provider.sign(
      { preferred_username: 'lan', realm_access: { roles: ['agency-admin'] }, 'https://motcua.gov.vn/agency': '000.00.16.H30', team: ['head'] },
      { iat: IAT },
    );
    const custom = createJwksVerifier({
      url: provider.url,
      issuer: ISSUER,
      audience: AUDIENCE,
      now: () => T0,
      claims: { roles: 'realm_access.roles', agency: 'https://motcua.gov.vn/agency', groups: 'team' },
    });

    // when
    const principal = await custom.verify(token);

    // then
    expect(principal).toEqual({ id: 'kc-7f3a', name: 'lan', roles: ['agency-admin'], agency: '000.00.16.H30', groups: ['head'] });
  });

  it('should refuse a token of another issuer or for another audience', async () => {
    expect(await reasonOf(verifier().verify(await provider.sign({}, { iat: IAT, iss: 'https://evil.example' })))).toBe("token claim 'iss' invalid");
    expect(await reasonOf(verifier().verify(await provider.sign({}, { iat: IAT, aud: 'another-client' })))).toBe("token claim 'aud' invalid");
  });

  it('should refuse an expired token (beyond 30 s of skew)', async () => {
    // given
    const expired = await provider.sign({ roles: ['official'] }, { iat: IAT - 600, exp: IAT - 31 });
    const within = await provider.sign({ roles: ['official'] }, { iat: IAT - 600, exp: IAT - 29 });

    // then
    expect(await reasonOf(verifier().verify(expired))).toBe('token expired');
    await expect(verifier().verify(within)).resolves.toMatchObject({ id: 'kc-7f3a' });
  });

  it('should refuse a token signed by a key the provider does not publish', async () => {
    // given
    const stranger = await generateKeyPair('RS256');

    // then: same kid, wrong key
    expect(await reasonOf(verifier().verify(await provider.sign({}, { iat: IAT, key: stranger.privateKey })))).toBe('token signature invalid');
    // unknown kid
    expect(await reasonOf(verifier().verify(await provider.sign({}, { iat: IAT, key: stranger.privateKey, kid: 'key-9' })))).toBe(
      'no key of the identity provider matches the token',
    );
  });

  it("should refuse an HS256 token even if keyed with the provider's public key material", async () => {
    // given: the classic algorithm-confusion attack
    const secret = new Uint8Array(Buffer.from(JSON.stringify(provider.keys[0])));
    const token = await new SignJWT({ roles: ['agency-admin'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .setSubject('attacker')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime(IAT + 60)
      .sign(secret);

    // then
    expect(await reasonOf(verifier().verify(token))).toBe('token algorithm not accepted');
  });

  it('should fetch the key set once and cache it', async () => {
    // given
    const cached = verifier();
    const before = provider.requests;
    const token = await provider.sign({ roles: ['official'] }, { iat: IAT });

    // when
    await cached.verify(token);
    await cached.verify(token);
    await cached.verify(token);

    // then
    expect(provider.requests - before).toBe(1);
  });

  it('should refuse, saying why, when the key set cannot be fetched', async () => {
    // given: a provider that is gone
    const gone = await startLocalIdentityProvider();
    const token = await gone.sign({}, { iat: IAT });
    const url = gone.url;
    await gone.close();

    // when
    const reason = await reasonOf(createJwksVerifier({ url, issuer: ISSUER, audience: AUDIENCE, now: () => T0 }).verify(token));

    // then
    expect(reason).toBe('identity provider keys could not be fetched');
  });
});
