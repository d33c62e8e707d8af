/**
 * The OMG BPMN MIWG reference models (../shared/conformance/bpmn-miwg): every
 * one parses, and compiles to exactly the outcome listed here. These models are
 * drawn for interchange, not for Camunda 8: most lack the Zeebe extensions
 * (job types, correlation keys, FEEL conditions) that make a model runnable, so
 * most are refused, each problem checked by hand against the XML.
 *
 * A new file in the directory fails the suite until it is listed.
 */
import { readFileSync, readdirSync } from 'fs';
import { resolve } from 'path';
import { loadProcessModels } from '../../engine/src/model';

const REPO_ROOT = resolve(__dirname, '../..');
const MIWG = resolve(REPO_ROOT, '../shared/conformance/bpmn-miwg');

/** Files of the directory that are not models, with the reason they are not run. */
const NOT_MODELS: Record<string, string> = {
  'LICENSE.txt': 'the licence of the models (CC BY 3.0)',
};

type Outcome = 'deploys' | Array<[elementId: string, reason: string]>;

/**
 * Expected outcome per model: 'deploys', or every problem (element id and a
 * part of the reason), in the order reported. Recurring causes:
 * - exclusive/inclusive gateway flows without condition (the models are descriptive);
 * - conditions not in FEEL (`${approved}`, XPath, plain text);
 * - service/send/business rule tasks and message throws without `zeebe:taskDefinition`;
 * - message/signal/error/escalation events without the element they name, or with an unnamed one;
 * - empty timers (`<timeDate/>`), empty (collapsed) sub-processes;
 * - compensation, conditional events, standard loops, DMN decisions: not supported;
 * - call activities without `zeebe:calledElement`, or calling a process of another file.
 */
const EXPECTED: Record<string, Outcome> = {
  'A.1.0.bpmn': 'deploys',
  'A.2.0.bpmn': [
    ['_f1478fb7-98c4-4c01-8c15-68bd04c91535', 'has no condition and is not the default flow'],
    ['_a1570a53-28d2-41b1-a3a2-3e50c00d747e', 'has no condition and is not the default flow'],
    ['_20ebb3c1-5178-4c7c-a91d-23e58f2aa73b', 'has no condition and is not the default flow'],
  ],
  'A.2.1.bpmn': [
    ['_To9Z-TOCEeSknpIVFCxNIQ', 'has no condition and is not the default flow'],
    ['_To9Z_DOCEeSknpIVFCxNIQ', 'has no condition and is not the default flow'],
    ['_To9Z7TOCEeSknpIVFCxNIQ', 'must be a FEEL expression starting with \'=\' (got \'true\')'],
  ],
  'A.3.0.bpmn': [
    ['_428dcbf5-8e5e-48e0-9c0c-d93003fa8c82', 'has no message (messageRef is missing)'],
    ['_1ae31d1b-2559-4f78-a3ec-47986a49db48', 'is empty; it needs at least a start event'],
  ],
  'A.4.0.bpmn': 'deploys',
  'A.4.1.bpmn': 'deploys',
  'B.1.0.bpmn': [
    ['_e314751e-5c3a-41f2-a1ae-4cb99efa0916', 'has none of timeDate, timeDuration, timeCycle with a value (its timeDate is'],
    ['_ec919941-53ec-403d-97e1-6a163a063f21', 'has no job type (zeebe:taskDefinition type)'],
    ['_2ee553a1-cb03-41e3-b285-345c826fc88d', 'has no job type (zeebe:taskDefinition type): message throw events run as jo'],
    ['_fa3a8e53-5be0-4f0b-8680-d2498e255209', 'has no called element (zeebe:calledElement processId) (the BPMN calledEleme'],
    ['_ba16239e-181e-4b9f-bc5b-0bb2ee973450', 'has no called element (zeebe:calledElement processId) (the BPMN calledEleme'],
    ['_a38484e2-7bdb-48b1-b62e-139d51d6a147', 'has no name'],
    ['_1237e756-d53c-4591-a731-dafffbf0b3f9', 'has no called element (zeebe:calledElement processId) (the BPMN calledEleme'],
    ['_fea1c5af-6c76-403f-809e-26d476d92741', 'has no job type (zeebe:taskDefinition type)'],
    ['_9d489bd9-9435-4692-bc98-4cdda4a61569', 'has no condition and is not the default flow'],
    ['_eeb6812d-d182-489f-aea2-493ab8732cfd', 'has no condition and is not the default flow'],
    ['_6ee42e88-3d90-4259-83c0-9abd4574a15a', 'has no condition and is not the default flow'],
    ['_6a248585-952e-40ff-82ec-b6d8f410b73a', 'has no condition and is not the default flow'],
    ['_1eb62392-1f21-4a63-bbcb-c78880c3165e', 'is empty; it needs at least a start event'],
  ],
  'B.2.0.bpmn': [
    ['_cba8fbed-2bb6-40a9-8ac5-83e827ce9d9f', 'conditional events are not supported'],
    ['_c57a5344-213f-4834-a6c3-94ce878b413c', 'has no input collection (zeebe:loopCharacteristics inputCollection)'],
    ['_86b052b4-225c-424e-b900-bb94bdd77cec', 'has no message (messageRef is missing)'],
    ['_3bfec246-ab94-4807-a79a-3df91ac13800', 'has no job type (zeebe:taskDefinition type)'],
    ['_732c0641-b12f-448b-b9f8-a68b355782e3', 'conditional events are not supported'],
    ['_4e71bf73-1719-401e-a9a2-85dc89fc1150', 'has none of timeDate, timeDuration, timeCycle with a value (its timeDate is'],
    ['_5cc02d0f-c090-4e48-8da3-f32cbbca9565', 'has no signal (signalRef is missing)'],
    ['_b67ba682-c8d6-465b-b538-c287db18d1be', 'has no job type (zeebe:taskDefinition type): message throw events run as jo'],
    ['_ac1fde31-c0cd-4a8a-9728-a5fb49602de7', 'has no job type (zeebe:taskDefinition type)'],
    ['_c9cb2415-6a2e-49d6-84b9-27babcde4088', 'conditional events are not supported'],
    ['_76ee26df-2c95-495b-9d9a-cb806aea6baf', 'has no job type (zeebe:taskDefinition type)'],
    ['_149a6e1d-0385-4d0f-a90c-c2150a291a67', 'has no input collection (zeebe:loopCharacteristics inputCollection)'],
    ['_0326fdf5-7c71-41d9-838c-ab141a1b1ed0', 'has no signal (signalRef is missing)'],
    ['_a74c1d4d-db90-43ff-8920-139a300b39a5', 'has no called element (zeebe:calledElement processId) (the BPMN calledEleme'],
    ['_b9343536-6490-4559-8365-71d5c4cbb7cb', 'has a standard loop (bpmn:standardLoopCharacteristics), which is not suppor'],
    ['_a9966baf-d9b9-4be1-a4d9-2906ab5add30', 'has no condition and is not the default flow'],
    ['_149a6e1d-0385-4d0f-a90c-c2150a291a67', 'is empty; it needs at least a start event'],
    ['_5a6baa94-303a-4750-bde2-e1cd6edace37', 'has none of timeDate, timeDuration, timeCycle with a value (its timeDate is'],
    ['_fa90f891-fc07-463a-97c9-2ee0812351e1', 'has no job type (zeebe:taskDefinition type)'],
    ['_68ca1f8b-5028-4079-9e35-619b529f4d71', 'conditional events are not supported'],
    ['_1237e756-d53c-4591-a731-dafffbf0b3f9', 'has no called element (zeebe:calledElement processId) (the BPMN calledEleme'],
    ['_e454657a-0173-41a4-a4c7-d16ec224f2e1', 'has no signal (signalRef is missing)'],
    ['_79341f54-50d4-4c60-85f3-fe8839a7554b', 'has none of timeDate, timeDuration, timeCycle with a value (its timeDate is'],
    ['_e369fd30-1a71-4d0e-b4d7-2174dd5ba388', 'has no message (messageRef is missing)'],
    ['_f2081fdb-3b8a-480b-9f61-fbf683e2018c', 'has no message (messageRef is missing)'],
    ['_3a19ce2d-e30d-461c-aeaa-b2acb118f9a4', 'has no escalation (escalationRef is missing): an escalation throw event mus'],
    ['_ba16239e-181e-4b9f-bc5b-0bb2ee973450', 'has no called element (zeebe:calledElement processId) (the BPMN calledEleme'],
    ['_a38484e2-7bdb-48b1-b62e-139d51d6a147', 'has no name'],
    ['_c889aa27-e389-48eb-aa18-613ec53614e7', 'has no job type (zeebe:taskDefinition type): message throw events run as jo'],
    ['_796ccbc5-ad88-465c-849a-87447a0283d3', 'has no job type (zeebe:taskDefinition type): message throw events run as jo'],
    ['_05c6bc89-5265-435c-8a9e-533c44a6888b', 'has no message (messageRef is missing)'],
    ['_f07e4bd2-768d-42c6-a8d5-24d1c3bfa3cb', 'has no message (messageRef is missing)'],
    ['_034907bf-d3d7-4629-818c-14c3e69d5bc6', 'has none of timeDate, timeDuration, timeCycle with a value (its timeDate is'],
    ['_209105e0-96fc-4278-8451-3b2a1dd18ec9', 'has no signal (signalRef is missing)'],
    ['_25beeb17-acc3-4cca-9590-f1cd2f353434', 'has no signal (signalRef is missing)'],
    ['_8476a0f7-36b7-4666-a3b2-c18efcc68a94', 'has no signal (signalRef is missing)'],
    ['_dfb273c6-0ad3-4030-9e72-638adf7ca75f', 'has no escalation (escalationRef is missing): an escalation throw event mus'],
    ['_6936f794-7bbb-4aa1-ae48-3a35bab4e2f4', 'has no input collection (zeebe:loopCharacteristics inputCollection)'],
    ['_6936f794-7bbb-4aa1-ae48-3a35bab4e2f4', 'has no job type (zeebe:taskDefinition type)'],
    ['_e233b5e1-244d-422e-8886-4588b7566122', 'has no signal (signalRef is missing)'],
    ['_d60db966-c03d-4f0e-a5bd-945525fa0aaf', 'has no error (errorRef is missing): an error end event must name the error'],
    ['_8b98cde1-aec2-46e8-8be2-d9aa244fcda6', 'has no condition and is not the default flow'],
    ['_8021571a-7a77-426b-b824-545cc61f7334', 'has no condition and is not the default flow'],
    ['_5d70a293-03ea-4a73-bed0-65ad145796d6', 'has no condition and is not the default flow'],
    ['_0263ca9e-2ca0-4f4e-b7dd-86e15dcf2447', 'is empty; it needs at least a start event'],
  ],
  'C.1.0.bpmn': [
    ['archiveInvoice', 'has no job type (zeebe:taskDefinition type)'],
    ['invoiceApproved', 'must be a FEEL expression starting with \'=\' (got \'${approved}\')'],
    ['invoiceNotApproved', 'must be a FEEL expression starting with \'=\' (got \'${!approved}\')'],
    ['reviewSuccessful', 'must be a FEEL expression starting with \'=\' (got \'${clarified == \'yes\'}\')'],
    ['reviewNotSuccessful', 'must be a FEEL expression starting with \'=\' (got \'${clarified == \'no\'}\')'],
  ],
  'C.1.1.bpmn': [
    ['archiveInvoice', 'has no job type (zeebe:taskDefinition type)'],
    ['invoiceApproved', 'must be a FEEL expression starting with \'=\' (got \'bpmn:getDataObject(\'appro'],
    ['invoiceNotApproved', 'must be a FEEL expression starting with \'=\' (got \'not(bpmn:getDataObject(\'a'],
    ['reviewSuccessful', 'must be a FEEL expression starting with \'=\' (got \'bpmn:getDataObject(\'clari'],
    ['reviewNotSuccessful', 'must be a FEEL expression starting with \'=\' (got \'bpmn:getDataObject(\'clari'],
  ],
  'C.2.0.bpmn': [
    ['__0ef615c7-5456-45c8-9cfb-f1fe30c44436', 'has no name'],
    ['__4011aa2d-a7a9-4e1a-9f16-8a662d138bd4', 'has no job type (zeebe:taskDefinition type): message throw events run as jo'],
    ['__e6a9dd54-6cb0-4713-8b77-e659f2658e40', 'has no name'],
    ['_7ea6639e-e773-4236-94bf-78f149188c30', 'has no error (errorRef is missing): an error end event must name the error'],
    ['_f35ee29d-018c-47e2-afeb-eebc2e25925e', 'has no job type (zeebe:taskDefinition type): message throw events run as jo'],
    ['__a12a7547-373d-47ec-890d-af5c177203ee', 'has no condition and is not the default flow'],
    ['__ffc1486a-8a32-490a-8835-d14cc5ab0a97', 'has no condition and is not the default flow'],
    ['_63cf98c9-d0b1-4595-a4f2-9589439b311c', 'has no condition and is not the default flow'],
    ['_ad0872cc-e2a9-4c44-98c6-c64e0638f37e', 'has no condition and is not the default flow'],
    ['_bfa5c7b2-f5d2-4487-a307-b2ea662bd059', 'has no condition and is not the default flow'],
    ['_50edb87c-9e46-48b1-a311-ef00e6e431e8', 'has no condition and is not the default flow'],
    ['__fd16081c-ecf9-4e0f-857f-f3404a7ee784', 'has no name'],
  ],
  'C.3.0.bpmn': [
    ['Bpmn_BoundaryEvent_LwKtwhqHEeWDuOtG0oS24A', 'has no correlation key (zeebe:subscription correlationKey)'],
    ['_b99800c3-c340-460c-a43e-098014a365d0', 'has no condition and is not the default flow'],
    ['_437e5969-1e61-4cb9-aa76-4f8854f32eeb', 'has no condition and is not the default flow'],
    ['_ada039b6-94dd-4a15-a6b1-c7fe662c64ee', 'has no condition and is not the default flow'],
    ['_cddf9325-a85b-4347-8c57-8b909fa77ae9', 'has no condition and is not the default flow'],
    ['_cf380e47-1401-4e7e-b710-193b626e49eb', 'has no condition and is not the default flow'],
    ['_3fb323d5-2c59-487a-af63-804208f6c5cb', 'has no condition and is not the default flow'],
    ['_cd6f230f-13c3-4027-aa3e-57de601a1ab2', 'is empty; it needs at least a start event'],
    ['_be893987-caec-4605-b078-bd96b7cd6c12', 'must be a FEEL expression starting with \'=\' (got \'Service Level == \'Premium'],
  ],
  'C.4.0.bpmn': [
    ['_fe77c2f2-278f-4752-9d03-aa0c8a12af1e', 'has no message (messageRef is missing)'],
    ['_db9147a9-7fbc-4657-a506-15e777f2cfd9', 'has no message (messageRef is missing)'],
    ['_74e2cc7b-99ca-426b-ad53-ad70a56506aa', 'has no message (messageRef is missing)'],
    ['_237c8380-5449-446e-a323-aad80181176d', 'has no condition and is not the default flow'],
    ['_7e9d8b8b-faa9-4264-858b-7454702c4ec2', 'has no condition and is not the default flow'],
    ['_9db2d136-aa33-4de2-be76-554e7843363d', 'has no job type (zeebe:taskDefinition type)'],
    ['_c82dd8eb-ce54-4aa7-b8c4-b8d3e8fd654e', 'has no job type (zeebe:taskDefinition type): message throw events run as jo'],
    ['_788443d9-65f0-43a4-96a8-63e8d6f380a7', 'has a standard loop (bpmn:standardLoopCharacteristics), which is not suppor'],
    ['_efbd0983-76cd-4a4c-acf3-6dde71d7c760', 'has no job type (zeebe:taskDefinition type): message throw events run as jo'],
    ['_ca6f904d-e30d-4777-a7dd-661650e1e3a2', 'has no condition and is not the default flow'],
    ['_12e2f256-ec10-4a8d-934c-329143c588d8', 'has no condition and is not the default flow'],
    ['_5ee09fe4-f38f-454d-b6e4-1c3703a6a239', 'has no job type (zeebe:taskDefinition type): message throw events run as jo'],
  ],
  'C.5.0.bpmn': [
    ['_b9338c62-a257-47dd-8c2e-88b80b73c330', 'has no called element (zeebe:calledElement processId) (the BPMN calledEleme'],
    ['_8055ae64-cafd-4fd0-be36-2216e3b02e37', 'has no signal (signalRef is missing)'],
    ['_1cf552d4-5152-4595-9218-84f31533bc70', 'has no signal (signalRef is missing)'],
    ['_fcb09e30-bfe6-46b9-af01-6777c60026f2', 'has no condition and is not the default flow'],
    ['_6912e5ed-5cae-4798-b6e6-8d367ddb3f60', 'has no condition and is not the default flow'],
    ['_eec53048-291a-4802-8fec-012857f845eb', 'has no condition and is not the default flow'],
    ['_664f3a71-3efa-4c94-8797-815f2e377cf7', 'has no condition and is not the default flow'],
    ['_1887adee-8291-4640-a5fa-3dc5f33d5a34', 'has no condition and is not the default flow'],
    ['_e88d64c7-3aaf-4a5f-9787-4e5ba696312b', 'has no condition and is not the default flow'],
    ['_afc35597-a482-432a-8ace-17adaf609572', 'has no condition and is not the default flow'],
    ['_470d1a12-e1fa-4471-b753-cfd7dbe20d80', 'has no condition and is not the default flow'],
    ['_8a77d7f6-320a-47ff-a155-57ee200df478', 'has no condition and is not the default flow'],
    ['_ae94e0c1-aa12-433f-bd44-a4d8a70a089e', 'has no condition and is not the default flow'],
    ['_e25b9c2d-690e-470b-8993-112002994fc2', 'has no condition and is not the default flow'],
    ['_c329c58d-4a71-471f-acb9-b7f7113d8547', 'has no condition and is not the default flow'],
  ],
  'C.6.0.bpmn': [
    ['_15fef309-6718-4352-9b71-f757bcd8c023', 'has no message (messageRef is missing)'],
    ['_e5c69e92-6f98-47c8-bc22-b75d38620f95', 'has no message (messageRef is missing)'],
    ['_87baeef0-f32e-4a93-b802-fdd588aaf729', 'has none of timeDate, timeDuration, timeCycle with a value (its timeDate is'],
    ['_6a5cdbbf-2618-496e-b728-955dc215ef9d', 'compensation events are not supported'],
    ['_e839800f-ad4f-4bcc-aaf2-d38fe4a32bcd', 'has no job type (zeebe:taskDefinition type)'],
    ['_44e3f1fa-42cd-40b7-9980-a51ac49d5fa3', 'has no message (messageRef is missing)'],
    ['_22612d45-65ca-4a74-a6eb-53af7ebcb5ff', 'has no job type (zeebe:taskDefinition type)'],
    ['_c8fa5253-dde9-471e-b933-58b00e8f374c', 'has no job type (zeebe:taskDefinition type)'],
    ['_614d6469-2bb8-4ad6-a20a-db5db6321c6b', 'has no job type (zeebe:taskDefinition type)'],
    ['_9cc2ac34-f12c-49e0-b37c-144e5a84fd92', 'has no job type (zeebe:taskDefinition type)'],
    ['_8afc49f0-42c2-4da9-8e79-e08dbe349776', 'has no job type (zeebe:taskDefinition type)'],
    ['_de7e721e-a073-4857-b8c3-c6ae886dbb46', 'has no job type (zeebe:taskDefinition type)'],
    ['_2d6586cf-81fc-4e2a-83ec-6cfff5b34bb0', 'has no job type (zeebe:taskDefinition type)'],
    ['_32c4138c-74ae-484a-a7e5-0609370d7080', 'has none of timeDate, timeDuration, timeCycle with a value (its timeDate is'],
    ['_3a2f133c-3ae1-4e21-94b5-6e8cf51acd74', 'is a compensation handler (isForCompensation): compensation is not supporte'],
    ['_3a2f133c-3ae1-4e21-94b5-6e8cf51acd74', 'has no job type (zeebe:taskDefinition type)'],
    ['_b595ec43-0769-4864-8f2e-403c405c8217', 'has no job type (zeebe:taskDefinition type)'],
    ['_ea5cc55d-bfce-49c6-8a1a-a8a41a85da12', 'has no job type (zeebe:taskDefinition type)'],
    ['_0198160d-b56c-4919-9920-db5f32d16b3f', 'is a compensation handler (isForCompensation): compensation is not supporte'],
    ['_0198160d-b56c-4919-9920-db5f32d16b3f', 'has no job type (zeebe:taskDefinition type)'],
    ['_b25ecc7c-4eff-4a70-96f2-6b2f94cf19b1', 'compensation events are not supported'],
    ['_fe3f9094-097b-416d-adeb-4b7e7e753f3c', 'compensation events are not supported'],
    ['_99bf4db9-3616-4ed1-a0f8-b8175c3fd46f', 'compensation events are not supported'],
    ['_e4b9fa74-efd8-409f-a2e4-ad917df767b4', 'compensation events are not supported'],
    ['_8af17ed4-6e13-463b-8333-d397b3002c65', 'compensation events are not supported'],
  ],
  'C.7.0.bpmn': [
    ['_64eabfe9-6947-43eb-ac45-8d331745f86c', 'has no job type (zeebe:taskDefinition type)'],
    ['_eae674ce-4d6e-48ac-819c-c79e0868e40d', 'has no job type (zeebe:taskDefinition type)'],
    ['_a36ddf2f-23c1-46c5-86d4-bd2a0eb42535', 'has no input collection (zeebe:loopCharacteristics inputCollection)'],
    ['_a36ddf2f-23c1-46c5-86d4-bd2a0eb42535', 'has no job type (zeebe:taskDefinition type)'],
    ['_d74707c7-6af3-4db7-9403-924bfdf6a7d8', 'has no condition and is not the default flow'],
    ['_1d201a22-d500-4412-a32a-2c7e24ad4d6b', 'has no condition and is not the default flow'],
  ],
  'C.8.0.bpmn': [
    ['_f2b0da63-d841-4457-ad85-7d86c8b5c1d2', 'must be a FEEL expression starting with \'=\' (got \'Vacation Approval = "Appr'],
    ['_325973e7-0bc8-4136-b6df-be1e681d8608', 'must be a FEEL expression starting with \'=\' (got \'Vacation Approval = "Appr'],
    ['_0a1c4f20-509f-4aeb-baf9-acc762f4fdf9', 'must be a FEEL expression starting with \'=\' (got \'Vacation Approval = "Manu'],
  ],
  'C.8.1.bpmn': [
    ['_0a1c4f20-509f-4aeb-baf9-acc762f4fdf9', 'must be a FEEL expression starting with \'=\' (got \'Vacation Approval = "Manu'],
    ['_325973e7-0bc8-4136-b6df-be1e681d8608', 'must be a FEEL expression starting with \'=\' (got \'Vacation Approval = "Appr'],
    ['_f2b0da63-d841-4457-ad85-7d86c8b5c1d2', 'must be a FEEL expression starting with \'=\' (got \'Vacation Approval = "Appr'],
  ],
  'C.9.0.bpmn': [
    ['BusinessRuleTask_CheckApplicationAutomatically', 'calls a decision (zeebe:calledDecision): DMN decisions are not supported; u'],
    ['Activity_ManualCheck', 'calls process \'ManualCheck\', which is neither in this document nor deployed'],
  ],
  'C.9.1.bpmn': 'deploys',
  'C.9.2.bpmn': [
    ['CallActivity_RequestDocument', 'calls process \'requestDocument_en\', which is neither in this document nor d'],
  ],
};

describe('conformance/bpmn-miwg', () => {

  it('should list every file of the directory', () => {
    // given
    const files = readdirSync(MIWG).sort();

    // then
    expect(files).toEqual([...Object.keys(EXPECTED), ...Object.keys(NOT_MODELS)].sort());
  });

  describe.each(Object.entries(EXPECTED))('%s', (file, outcome) => {

    it(outcome === 'deploys' ? 'should deploy' : `should report ${outcome.length} problem(s)`, async () => {
      // given
      const xml = readFileSync(resolve(MIWG, file), 'utf8');

      // when: compiled as a tool does (the models mark every process isExecutable="false", which a deploy refuses)
      const { graphs, problems } = await loadProcessModels(xml, { includeNotExecutable: true });

      // then
      expect(graphs.length).toBeGreaterThan(0);
      if (outcome === 'deploys') {
        expect(problems).toEqual([]);
      } else {
        expect(problems).toEqual(
          outcome.map(([elementId, reason]) => ({ elementId, reason: expect.stringContaining(reason) })),
        );
      }
    });
  });

  describe('models that call each other (C.9.x)', () => {

    it('should deploy C.9.2 when the process it calls (C.9.1) is known', async () => {
      // given
      const xml = readFileSync(resolve(MIWG, 'C.9.2.bpmn'), 'utf8');

      // when
      const { problems, graphs } = await loadProcessModels(xml, { knownProcessIds: (id) => id === 'requestDocument_en', includeNotExecutable: true });

      // then
      expect(problems).toEqual([]);
      expect(graphs[0].calledProcesses).toEqual(['requestDocument_en']);
    });

    it('should only refuse the DMN decision of C.9.0 when the process it calls (C.9.2) is known', async () => {
      // given
      const xml = readFileSync(resolve(MIWG, 'C.9.0.bpmn'), 'utf8');

      // when
      const { problems } = await loadProcessModels(xml, { knownProcessIds: (id) => id === 'ManualCheck', includeNotExecutable: true });

      // then
      expect(problems).toEqual([
        { elementId: 'BusinessRuleTask_CheckApplicationAutomatically', reason: expect.stringContaining('DMN decisions are not supported') },
      ]);
    });
  });
});
