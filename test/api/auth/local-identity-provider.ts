/**
 * A stand-in external identity provider for tests: an RS256 key pair (jose) whose
 * public half is served as a JWKS by a node http server on 127.0.0.1, port 0.
 * Never the internet.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export const PROVIDER_ISSUER = 'https://sso.h29.gov.vn/realms/motcua';
export const PROVIDER_AUDIENCE = 'motcua-api';

export interface LocalIdentityProvider {
  /** The JWKS URL (`http://127.0.0.1:<port>/certs`). */
  url: string;
  privateKey: CryptoKey;
  /** The published keys (tests may change them). */
  keys: JWK[];
  /** Requests served so far. */
  requests: number;
  /** Signs a token as the provider (kid `key-1`, RS256, subject `kc-7f3a` unless the claims say otherwise). */
  sign(claims: Record<string, unknown>, options?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

export interface SignOptions {
  key?: CryptoKey;
  kid?: string;
  iss?: string;
  aud?: string;
  /** Issue time, epoch seconds. */
  iat: number;
  /** Expiry, epoch seconds (default iat + 300). */
  exp?: number;
}

export async function startLocalIdentityProvider(): Promise<LocalIdentityProvider> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const keys: JWK[] = [{ ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }];
  let server: Server;
  const provider: LocalIdentityProvider = {
    url: '',
    privateKey,
    keys,
    requests: 0,
    sign(claims, options = { iat: Math.floor(Date.now() / 1000) }) {
      return new SignJWT({ sub: 'kc-7f3a', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'key-1' })
        .setIssuer(options.iss ?? PROVIDER_ISSUER)
        .setAudience(options.aud ?? PROVIDER_AUDIENCE)
        .setIssuedAt(options.iat)
        .setExpirationTime(options.exp ?? options.iat + 300)
        .sign(options.key ?? privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  server = createServer((req, res) => {
    provider.requests++;
    if (req.url !== '/certs') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: provider.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  provider.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/certs`;
  return provider;
}
