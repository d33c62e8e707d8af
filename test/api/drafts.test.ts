/** `/api/drafts`: the web modeler's drafts, per user. */
import { testDatabases } from '../support/databases';
import { processXml, useApi } from './harness';

const xmlHeaders = { 'content-type': 'application/xml' };

describe.each(testDatabases())('drafts on $name', (target) => {
  const api = useApi(target, { maxDraftsPerUser: 3, maxXmlBytes: 16 * 1024 });

  it('should save, list, replace, read back and delete a draft of its owner only', async () => {
    // given
    const xml = processXml({ id: 'draft-one', tasks: [{ id: 'examine' }] });

    // when
    const created = await api.as('analyst').request('PUT', '/api/drafts/draft-one?name=First&processId=draft-one', { raw: xml, headers: xmlHeaders });
    const replaced = await api.as('analyst').request('PUT', '/api/drafts/draft-one?name=Second', { raw: `${xml}<!-- edited -->`, headers: xmlHeaders });

    // then
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id: 'draft-one', name: 'First', processId: 'draft-one', createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: 'draft-one', name: 'Second', createdAt: created.body.createdAt });
    expect(replaced.body.processId).toBeUndefined();
    const list = await api.as('analyst').get('/api/drafts');
    expect(list.body.items.map((d: { id: string }) => d.id)).toEqual(['draft-one']);
    const got = await api.as('analyst').get('/api/drafts/draft-one');
    expect(got.body.xml).toBe(`${xml}<!-- edited -->`);

    // another user sees nothing of it and cannot delete it
    expect((await api.as('adminA').get('/api/drafts')).body.items).toEqual([]);
    expect((await api.as('adminA').get('/api/drafts/draft-one')).status).toBe(404);
    expect((await api.as('adminA').request('DELETE', '/api/drafts/draft-one')).status).toBe(404);

    // the owner deletes it
    expect((await api.as('analyst').request('DELETE', '/api/drafts/draft-one')).status).toBe(204);
    expect((await api.as('analyst').get('/api/drafts/draft-one')).status).toBe(404);
  });

  it('should refuse a new draft past the per-user limit, but still replace an existing one', async () => {
    // given three drafts (the limit)
    for (const id of ['d1', 'd2', 'd3']) {
      expect((await api.as('adminA').request('PUT', `/api/drafts/${id}`, { raw: '<x/>', headers: xmlHeaders })).status).toBe(200);
    }

    // when
    const fourth = await api.as('adminA').request('PUT', '/api/drafts/d4', { raw: '<x/>', headers: xmlHeaders });
    const again = await api.as('adminA').request('PUT', '/api/drafts/d2', { raw: '<y/>', headers: xmlHeaders });

    // then
    expect(fourth.status).toBe(409);
    expect(fourth.body.detail).toMatch(/MOTCUA_MAX_DRAFTS_PER_USER/);
    expect(again.status).toBe(200);
  });

  it('should refuse bad input with a clear problem', async () => {
    const badId = await api.as('analyst').request('PUT', '/api/drafts/has%20space', { raw: '<x/>', headers: xmlHeaders });
    const json = await api.as('analyst').request('PUT', '/api/drafts/ok', { raw: '{}', headers: { 'content-type': 'application/json' } });
    const tooLarge = await api.as('analyst').request('PUT', '/api/drafts/big', { raw: `<x>${'a'.repeat(17 * 1024)}</x>`, headers: xmlHeaders });
    const official = await api.as('officialA').get('/api/drafts');

    expect(badId.status).toBe(400);
    expect(json.status).toBe(415);
    expect(tooLarge.status).toBe(413);
    expect(official.status).toBe(403);
  });
});
