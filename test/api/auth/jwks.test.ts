/**
 * Tokens of an external identity provider, verified against a key set served by a
 * local HTTP server on 127.0.0.1 (never the internet).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { UnauthorizedError } from '../../../api/src/auth/errors';
import { createJwksVerifier } from '../../../api/src/auth/jwks';

const T0 = Date.UTC(2026, 10, 24, 1, 30, 0);
const ISSUER = 'https://sso.h29.gov.vn/realms/motcua';
const AUDIENCE = 'motcua-api';

interface Provider {
  url: string;
  privateKey: CryptoKey;
  keys: JWK[];
  requests: number;
  close(): Promise<void>;
}

/** A JWKS endpoint on 127.0.0.1, port 0, serving the public half of one RS256 key. */
async function startProvider(): Promise<Provider> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = { privateKey, keys: [{ ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }], requests: 0 } as Provider;
  const server: Server = createServer((req, res) => {
    provider.requests++;
    if (req.url !== '/certs') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: provider.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  provider.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/certs`;
  provider.close = () => new Promise((resolve) => server.close(() => resolve()));
  return provider;
}

function sign(claims: Record<string, unknown>, key: CryptoKey, options: { kid?: string; iss?: string; aud?: string; exp?: number } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'key-1' })
    .setSubject('kc-7f3a')
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt(T0 / 1000)
    .setExpirationTime(options.exp ?? T0 / 1000 + 300)
    .sign(key);
}

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
  let provider: Provider;
  beforeAll(async () => {
    provider = await startProvider();
  });
  afterAll(() => provider.close());

  const verifier = () => createJwksVerifier({ url: provider.url, issuer: ISSUER, audience: AUDIENCE, now: () => T0 });

  it('should map a valid token of the provider to a principal, dropping unknown roles', async () => {
    // given
    const token = await sign(
      { name: 'Nguyễn Thị Lan', roles: ['official', 'uma_authorization'], agency: '000.00.15.H29', groups: ['desk'] },
      provider.privateKey,
    );

    // when
    const principal = await verifier().verify(token);

    // then
    expect(principal).toEqual({ id: 'kc-7f3a', name: 'Nguyễn Thị Lan', roles: ['official'], agency: '000.00.15.H29', groups: ['desk'] });
  });

  it('should read roles, agency and groups from the configured claims', async () => {
    // given: Keycloak-style nested roles and a namespaced agency claim
    const token = await sign(
      { preferred_username: 'lan', realm_access: { roles: ['agency-admin'] }, 'https://motcua.gov.vn/agency': '000.00.16.H30', team: ['head'] },
      provider.privateKey,
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
    expect(await reasonOf(verifier().verify(await sign({}, provider.privateKey, { iss: 'https://evil.example' })))).toBe("token claim 'iss' invalid");
    expect(await reasonOf(verifier().verify(await sign({}, provider.privateKey, { aud: 'another-client' })))).toBe("token claim 'aud' invalid");
  });

  it('should refuse an expired token (beyond 30 s of skew)', async () => {
    const token = await sign({ roles: ['official'] }, provider.privateKey, { exp: T0 / 1000 - 31 });
    expect(await reasonOf(verifier().verify(token))).toBe('token expired');
    const within = await sign({ roles: ['official'] }, provider.privateKey, { exp: T0 / 1000 - 29 });
    await expect(verifier().verify(within)).resolves.toMatchObject({ id: 'kc-7f3a' });
  });

  it('should refuse a token signed by a key the provider does not publish', async () => {
    // given
    const stranger = await generateKeyPair('RS256');

    // then: same kid, wrong key
    expect(await reasonOf(verifier().verify(await sign({}, stranger.privateKey)))).toBe('token signature invalid');
    // unknown kid
    expect(await reasonOf(verifier().verify(await sign({}, stranger.privateKey, { kid: 'key-9' })))).toBe(
      'no key of the identity provider matches the token',
    );
  });

  it('should refuse an HS256 token even if keyed with the provider\'s public key material', async () => {
    // given: the classic algorithm-confusion attack
    const secret = new Uint8Array(Buffer.from(JSON.stringify(provider.keys[0])));
    const token = await new SignJWT({ roles: ['agency-admin'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .setSubject('attacker')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime(T0 / 1000 + 60)
      .sign(secret);

    // then
    expect(await reasonOf(verifier().verify(token))).toBe('token algorithm not accepted');
  });

  it('should fetch the key set once and cache it', async () => {
    // given
    const cached = verifier();
    const before = provider.requests;
    const token = await sign({ roles: ['official'] }, provider.privateKey);

    // when
    await cached.verify(token);
    await cached.verify(token);
    await cached.verify(token);

    // then
    expect(provider.requests - before).toBe(1);
  });

  it('should refuse, saying why, when the key set cannot be fetched', async () => {
    // given: a provider that is gone
    const gone = await startProvider();
    const token = await sign({}, gone.privateKey);
    const url = gone.url;
    await gone.close();

    // when
    const reason = await reasonOf(createJwksVerifier({ url, issuer: ISSUER, audience: AUDIENCE, now: () => T0 }).verify(token));

    // then
    expect(reason).toBe('identity provider keys could not be fetched');
  });
});
