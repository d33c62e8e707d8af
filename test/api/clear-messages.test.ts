/**
 * QA finding 19: the messages of refusals say what is wrong in the caller's terms: an
 * integer out of range with the range the operation takes, a body that is JSON but not an
 * object, and a 403 saying who may do what (not an operation's summary).
 */
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

describe.each(testDatabases())('clear messages on $name', (target) => {
  const api = useApi(target);

  it('should state the real range of an integer that JSON cannot carry', async () => {
    // when
    const huge = await api.as('officialA').get('/api/tasks?limit=99999999999999999999');
    const above = await api.as('officialA').get('/api/tasks?limit=201');

    // then
    expect(huge.status).toBe(400);
    expect(huge.body.errors).toEqual([{ field: 'query.limit', message: 'must be an integer from 1 to 200' }]);
    expect(above.body.errors).toEqual([{ field: 'query.limit', message: 'must be <= 200' }]);
  });

  it.each(['null', '42', '"text"', 'true'])('should say the body must be a JSON object when it is %s', async (raw) => {
    // when
    const res = await api.as('adminA').request('POST', '/api/instances', { raw, headers: { 'content-type': 'application/json' } });

    // then
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe(`the body must be a JSON object, not ${raw}`);
    expect(res.body.errors).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
  });

  it('should say in plain words who may do what when it refuses a role', async () => {
    // when
    const inbox = await api.as('citizen').get('/api/tasks');
    const mining = await api.as('officialA').get('/api/analysis/mining');

    // then
    expect(inbox.status).toBe(403);
    expect(inbox.body.detail).toBe('GET /api/tasks is for officials and agency admins; this user is a citizen');
    expect(mining.body.detail).toBe('GET /api/analysis/mining is for analysts and agency admins; this user is an official');
  });
});
