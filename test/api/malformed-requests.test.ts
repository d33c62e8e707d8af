/**
 * Malformed requests, one of each class that once ended as a 500 or as Node's bare
 * `400 Bad Request`: each gets a 4xx problem document naming where the problem is.
 * (Text that decodes but cannot be stored, U+0000 and lone surrogates, is the text
 * guard's: `unstorable-text.test.ts`.)
 * Requests are written on a raw socket, so that nothing on the client side corrects them.
 */
import net from 'node:net';
import zlib from 'node:zlib';
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

interface RawAnswer {
  status: number;
  contentType: string;
  body: any;
}

/** Writes `head` + `body` on a new connection and reads the answer until the server closes it. */
function rawRequest(url: string, head: string, body: Buffer = Buffer.alloc(0)): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(port), hostname, () => socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body])));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [headers, ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1] ?? 0);
      const contentType = /\r\ncontent-type: ([^\r]*)/i.exec(headers)?.[1] ?? '';
      const payload = rest.join('\r\n\r\n');
      let parsed: unknown = payload;
      try {
        parsed = JSON.parse(payload);
      } catch {
        // not JSON: kept as text (the assertions then fail with it in view)
      }
      resolve({ status, contentType, body: parsed });
    });
  });
}

function expectProblem(answer: RawAnswer, status: number, code: string, field?: string): void {
  expect({ status: answer.status, code: answer.body?.code }).toEqual({ status, code });
  expect(answer.contentType).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  if (field) expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
}

describe.each(testDatabases())('malformed requests on $name', (target) => {
  const api = useApi(target);

  function send(method: string, path: string, options: { headers?: Record<string, string>; body?: Buffer | string; as?: 'adminA' | 'anonymous' } = {}): Promise<RawAnswer> {
    const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
    const token = (options.as ?? 'adminA') === 'adminA' ? api.token('adminA') : undefined;
    const headers = { host: 'test', connection: 'close', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-length': String(body.length) } : {}), ...options.headers };
    const head = `${method} ${path} HTTP/1.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`;
    return rawRequest(api.url, head, body);
  }
  const json = { 'content-type': 'application/json' };

  describe('path', () => {
    it.each(['/api/instances/%E0%A4%A', '/api/instances/%', '/api/instances/%ED%A0%80', '/api/auth/%C0%80', '/%FF'])('should refuse the bad percent-encoding of %s', async (path) => {
      expectProblem(await send('GET', path), 400, 'MALFORMED_REQUEST', 'path');
    });
  });

  describe('query', () => {
    it('should refuse a value that is not percent-encoded UTF-8, naming the parameter', async () => {
      expectProblem(await send('GET', '/api/instances?processId=%E0%A4%A'), 400, 'MALFORMED_REQUEST', 'query.processId');
      expectProblem(await send('GET', '/api/instances?%E0%A4%A=1'), 400, 'MALFORMED_REQUEST', 'query');
    });

    it.each(['Infinity', '-Infinity', '1e309', '0x10', '0b11', '%205', '1.5', '', 'NaN'])('should refuse limit=%s as not an integer', async (limit) => {
      const answer = await send('GET', `/api/instances?limit=${limit}`);
      expectProblem(answer, 400, 'INVALID_INPUT', 'query.limit');
      expect(answer.body.errors).toEqual([{ field: 'query.limit', message: 'must be integer' }]);
    });

    it('should refuse an integer beyond the safe range, and -0 as out of range', async () => {
      expect((await send('GET', '/api/tasks?limit=99999999999999999999999')).body.errors).toEqual([{ field: 'query.limit', message: 'must be an integer from 1 to 200' }]);
      expect((await send('GET', '/api/tasks?limit=-0')).body.errors).toEqual([{ field: 'query.limit', message: 'must be >= 1' }]);
    });

    it('should refuse a parameter given twice where one value is expected', async () => {
      const answer = await send('GET', '/api/instances?limit=1&limit=2&status=active&status=completed');
      expectProblem(answer, 400, 'INVALID_INPUT');
      expect(answer.body.errors).toEqual([
        { field: 'query.limit', message: 'must be given once (it was given 2 times)' },
        { field: 'query.status', message: 'must be given once (it was given 2 times)' },
      ]);
    });

    it('should still read well-formed values: integers, booleans, encoded text', async () => {
      const answer = await send('GET', '/api/definitions?limit=5&latest=false&processId=th%E1%BB%A7+t%E1%BB%A5c');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ items: [] });
    });

    it('should refuse a cursor that no list returned', async () => {
      expectProblem(await send('GET', `/api/incidents?cursor=${Buffer.from('[1e400,"a"]').toString('base64url')}`), 400, 'INVALID_INPUT', 'query.cursor');
    });
  });

  describe('body', () => {
    it.each(['gzip', 'deflate', 'br'])('should refuse a body that is not the %s data its Content-Encoding says', async (encoding) => {
      const headers = { ...json, 'content-encoding': encoding };
      expectProblem(await send('POST', '/api/instances', { headers, body: '{"processId":"x"}' }), 400, 'MALFORMED_REQUEST', 'headers.content-encoding');
      expectProblem(await send('POST', '/api/auth/login', { headers, body: '{"username":"a","password":"b"}', as: 'anonymous' }), 400, 'MALFORMED_REQUEST', 'headers.content-encoding');
      expectProblem(await send('POST', '/api/deployments', { headers: { 'content-type': 'application/xml', 'content-encoding': encoding }, body: '<x/>' }), 400, 'MALFORMED_REQUEST', 'headers.content-encoding');
    });

    it('should refuse an unknown content encoding, and any on a multipart body', async () => {
      expectProblem(await send('POST', '/api/instances', { headers: { ...json, 'content-encoding': 'zstd' }, body: '{}' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      const multipart = { 'content-type': 'multipart/form-data; boundary=zz', 'content-encoding': 'gzip' };
      expectProblem(await send('POST', '/api/deployments', { headers: multipart, body: zlib.gzipSync('--zz--\r\n') }), 415, 'UNSUPPORTED_MEDIA_TYPE', 'headers.content-encoding');
    });

    it('should refuse a deflate bomb by its inflated size', async () => {
      const bomb = zlib.deflateSync(Buffer.from(`{"processId":"${'a'.repeat(8 * 1024 * 1024)}"}`));
      expect(bomb.length).toBeLessThan(64 * 1024);
      expectProblem(await send('POST', '/api/instances', { headers: { ...json, 'content-encoding': 'deflate' }, body: bomb }), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('should say why a body is not JSON', async () => {
      const answer = await send('POST', '/api/instances', { headers: json, body: 'hello' });
      expectProblem(answer, 400, 'MALFORMED_REQUEST');
      expect(answer.body.detail).toMatch(/^the body is not valid JSON \(.+\)$/);
    });

    it('should refuse a charset it cannot read', async () => {
      expectProblem(await send('POST', '/api/instances', { headers: { 'content-type': 'application/json; charset=bogus' }, body: '{}' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('should refuse a body on an operation that reads none', async () => {
      expectProblem(await send('GET', '/api/instances', { headers: json, body: '{"processId":"x"}' }), 400, 'INVALID_INPUT', 'body');
    });

    it.each([
      ['no boundary', 'multipart/form-data', 'abc'],
      ['another boundary', 'multipart/form-data; boundary=zzz', '--yyy\r\nfoo\r\n'],
      ['a truncated part', 'multipart/form-data; boundary=zzz', '--zzz\r\nContent-Disposition: form-data; name="bpmn"; filename="a.bpmn"\r\n\r\n<x'],
      ['a broken part header', 'multipart/form-data; boundary=zzz', '--zzz\r\nGarbage\r\n\r\nx\r\n--zzz--\r\n'],
    ])('should refuse a multipart deployment with %s', async (_name, type, body) => {
      expectProblem(await send('POST', '/api/deployments', { headers: { 'content-type': type }, body }), 400, 'MALFORMED_REQUEST');
    });
  });

  describe('what the HTTP parser refuses', () => {
    it('should answer headers too large (a very long URL or header) with a 431 problem', async () => {
      expectProblem(await send('GET', `/api/instances?processId=${'a'.repeat(100_000)}`), 431, 'HEADERS_TOO_LARGE');
      expectProblem(await send('GET', '/api/instances', { headers: { 'x-long': 'a'.repeat(100_000) } }), 431, 'HEADERS_TOO_LARGE');
    });

    it('should answer an invalid request line, header or chunk with a 400 problem', async () => {
      expectProblem(await send('BREW', '/api/instances'), 400, 'MALFORMED_REQUEST');
      expectProblem(await send('GET', '/api/instances', { headers: { 'x-nul': 'a\u0000b' } }), 400, 'MALFORMED_REQUEST');
      expectProblem(await send('POST', '/api/instances', { headers: { ...json, 'transfer-encoding': 'chunked' }, body: 'zz\r\nabc\r\n0\r\n\r\n' }), 400, 'MALFORMED_REQUEST');
    });
  });
});
