import path from 'node:path';
import { loadProcessModels } from '../../../engine/src/model';
import { InstanceDriver, loadFixture, ofType } from '../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'nested-mappings.bpmn');

describe('runtime/variables', () => {
  describe('mapping targets with a path', () => {
    it('should build nested input variables from several mappings', async () => {
      // given
      const run = new InstanceDriver((await loadFixture(FIXTURE)).graph);

      // when
      const effects = run.start({ applicant: { name: 'Trần Thị B', age: 40 }, dossierId: 'HS-1' });

      // then
      expect(ofType(effects, 'jobCreated')[0].job.variables).toEqual(
        expect.objectContaining({ request: { name: 'Trần Thị B', id: 'HS-1' } }),
      );
      expect(run.variables).not.toHaveProperty('request.name');
      expect(Object.keys(run.variables)).not.toContain('request.name');
    });

    it('should merge output paths into the existing variable, keeping its other entries', async () => {
      // given
      const run = new InstanceDriver((await loadFixture(FIXTURE)).graph);
      run.start({ applicant: { name: 'A', age: 40, address: { street: 'Lê Lợi' } }, dossierId: 'HS-1' });

      // when
      const effects = run.completeJob('Fetch', { response: { city: 'Huế', ok: true, code: 7 } });

      // then
      expect(run.variables).toEqual({
        applicant: { name: 'A', age: 40, address: { street: 'Lê Lợi', city: 'Huế' } },
        dossierId: 'HS-1',
        result: { ok: true, code: 7 },
      });
      expect(Object.keys(ofType(effects, 'variablesSet')[0].variables).sort()).toEqual(['applicant', 'result']);
    });

    it('should replace a value on the path that is not a context', async () => {
      // given
      const run = new InstanceDriver((await loadFixture(FIXTURE)).graph);
      run.start({ applicant: 'not a context', dossierId: 'HS-1' });

      // when
      run.completeJob('Fetch', { response: { city: 'Huế', ok: false, code: 1 } });

      // then
      expect(run.variables.applicant).toEqual({ address: { city: 'Huế' } });
    });

    it('should refuse at deploy a target with an empty part', async () => {
      // given
      const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="http://motcua.vn/test">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="Start">
      <bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=1" target="a..b" /></zeebe:ioMapping></bpmn:extensionElements>
    </bpmn:startEvent>
  </bpmn:process>
</bpmn:definitions>`;
      // when
      const { problems } = await loadProcessModels(xml);
      // then
      expect(problems).toEqual([{ elementId: 'Start', reason: expect.stringContaining("target 'a..b' has an empty part") }]);
    });
  });
});
