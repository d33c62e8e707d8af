/**
 * Endpoints open to anyone (health, OpenAPI document, metrics) are rate limited
 * per client address; the limit answers 429 problem+json with Retry-After.
 */
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

describe('api/public rate limit', () => {
  const api = useApi(testDatabases().find((t) => t.name === 'embedded')!, { publicRateLimit: 3 });

  it('should answer 429 once an address exceeds the limit on public endpoints', async () => {
    // when
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await api.as('anonymous').get('/api/health')).status);
    const limited = await api.as('anonymous').get('/api/openapi.json');

    // then
    expect(statuses).toEqual([200, 200, 200]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited.headers.get('retry-after')).toBeTruthy();
  });
});
