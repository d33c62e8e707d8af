import { ModelParseError } from '../../../engine/src/errors';
import { loadProcessModels, parseBpmn } from '../../../engine/src/model';
import { fixture, problem } from './load-fixture';

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<ModelParseError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ModelParseError);
    return error as ModelParseError;
  }
  throw new Error('expected a ModelParseError');
}

const MINIMAL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="t">
  <bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="S" /></bpmn:process>
</bpmn:definitions>`;

describe('model/parse', () => {

  describe('parseBpmn', () => {

    it('should return the definitions of a valid document', async () => {
      // when
      const { definitions, warnings } = await parseBpmn(MINIMAL);

      // then
      expect((definitions as { $type: string }).$type).toBe('bpmn:Definitions');
      expect(warnings).toEqual([]);
    });

    it('should accept a byte order mark', async () => {
      // when
      const { definitions } = await parseBpmn(`\uFEFF${MINIMAL}`);

      // then
      expect((definitions as { $type: string }).$type).toBe('bpmn:Definitions');
    });

    it('should reject an empty body', async () => {
      // when
      const error = await rejection(parseBpmn('  \n'));

      // then
      expect(error.message).toContain('empty');
      expect(error.code).toBe('MODEL_PARSE_ERROR');
    });

    it('should reject a document over the size limit, stating size and limit', async () => {
      // given
      const xml = MINIMAL.replace('<bpmn:startEvent id="S" />', `<!-- ${'x'.repeat(2000)} --><bpmn:startEvent id="S" />`);
      const bytes = Buffer.byteLength(xml);

      // when
      const error = await rejection(parseBpmn(xml, { maxBytes: 1000 }));

      // then
      expect(error.message).toContain(`${bytes} bytes`);
      expect(error.message).toContain('limit of 1000 bytes');
      expect(error.details).toMatchObject({ bytes, maxBytes: 1000 });
    });

    it('should reject a document over the default limit of 5 MB', async () => {
      // given
      const xml = MINIMAL.replace('<bpmn:startEvent id="S" />', `<!-- ${'é'.repeat(2_700_000)} -->`);

      // when
      const error = await rejection(parseBpmn(xml));

      // then
      expect(error.message).toContain(`limit of ${5 * 1024 * 1024} bytes`);
    });

    it('should reject a DOCTYPE with entities before parsing, with its position', async () => {
      // when
      const error = await rejection(parseBpmn(fixture('parse-doctype-entity.bpmn')));

      // then
      expect(error.message).toContain('<!DOCTYPE');
      expect(error.details).toEqual({ line: 2, column: 1 });
    });

    it('should reject malformed XML (an unclosed tag) with line and column', async () => {
      // when
      const error = await rejection(parseBpmn(fixture('parse-malformed-unclosed.bpmn')));

      // then
      expect(error.message).toMatch(/malformed XML at line 6, column 3: closing tag mismatch/);
      expect(error.details).toEqual({ line: 6, column: 3 });
    });

    it('should reject malformed XML that moddle only warns about (a broken attribute)', async () => {
      // when
      const error = await rejection(parseBpmn(fixture('parse-malformed-attribute.bpmn')));

      // then
      expect(error.message).toContain('malformed XML at line 4');
      expect(error.message).toContain('quote');
    });

    it('should reject text that is not XML', async () => {
      // when
      const error = await rejection(parseBpmn('hello world'));

      // then
      expect(error.message).toContain('malformed XML');
    });

    it('should reject XML whose root is not bpmn:definitions', async () => {
      // when
      const error = await rejection(parseBpmn(fixture('parse-not-bpmn.xml')));

      // then
      expect(error.message).toContain('root element is <foo>');
      expect(error.details).toEqual({ rootElement: 'foo' });
    });

    it('should reject a bpmn:process as the root', async () => {
      // when
      const error = await rejection(
        parseBpmn('<bpmn:process xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="P" />'),
      );

      // then
      expect(error.message).toContain('root element is <bpmn:process>');
    });

    it('should keep the warnings of dropped elements', async () => {
      // when
      const { warnings } = await parseBpmn(fixture('unknown-bpmn-element.bpmn'));

      // then
      expect(warnings).toEqual([
        expect.stringContaining("BPMN element <bpmn:usrTask> (id 'Task_Typo') at line 8, column 5 was dropped"),
        expect.stringContaining('BPMN element <bpmn:incomming> at line 10, column 7 was dropped'),
      ]);
    });
  });

  describe('loadProcessModels', () => {

    it('should throw parse errors rather than report them as problems', async () => {
      // when
      const error = await rejection(loadProcessModels(fixture('parse-malformed-unclosed.bpmn')));

      // then
      expect(error.name).toBe('ModelParseError');
    });

    it('should report a BPMN document without any process', async () => {
      // when
      const { graphs, problems } = await loadProcessModels(fixture('no-process.bpmn'));

      // then
      expect(graphs).toEqual([]);
      expect(problems).toEqual([problem('Definitions_1', 'contains no process')]);
    });

    it('should return the parser warnings with the graphs', async () => {
      // when
      const { warnings, problems } = await loadProcessModels(fixture('flow-missing-source.bpmn'));

      // then
      expect(warnings).toEqual(["bpmn:SequenceFlow 'Flow_Dangling' refers to unknown id 'Task_Gone' in bpmn:sourceRef"]);
      expect(problems).toEqual([problem('Flow_Dangling', "has no source (sourceRef 'Task_Gone' does not exist)")]);
    });
  });
});
