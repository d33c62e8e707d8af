/**
 * The forms of a deployment: the files uploaded with the model (JSON Schemas, and Camunda
 * forms as `.form` files), the Camunda forms embedded in the model, and the check that
 * every Camunda form a user task links can be found.
 *
 * ## How a user task names its form (zeebe:formDefinition)
 * - `formId="apply"`: a linked Camunda form, the `.form` file whose `id` is `apply`,
 *   deployed with the model or before it (`bindingType` `latest`, the default: Camunda
 *   resolves the latest form of that id). Found nowhere, it is a problem of the deployment,
 *   on the user task. `bindingType="deployment"` asks for the form in the same deployment;
 *   `versionTag` is resolved only among the forms deployed with the model (the form's
 *   `versionTag` field).
 * - `formKey="camunda-forms:bpmn:userTaskForm_1"`: a Camunda form embedded in the process
 *   (`zeebe:userTaskForm id="userTaskForm_1"`, its body the form-js JSON); stored with the
 *   deployment under that form key.
 * - any other `formKey`: a JSON Schema uploaded as `<formKey>.schema.json`; one that is
 *   missing is a warning (the task then takes any variables), as before Camunda forms.
 */
import { DeploymentRejectedError, findUnstorableText, parseBpmn } from '../../../engine/src/index';
import type { ApiStore, FormKind } from '../store/api-store';
import { compileForm, formSchemaHash, type JsonSchema } from '../validation';
import { compileCamundaForm } from './camunda-form-ajv';
import { camundaFormSchema, isCamundaForm } from './camunda-form-schema';

/** Largest form file; largest number of forms in one deployment. */
export const MAX_FORM_BYTES = 256 * 1024;
export const MAX_FORMS = 100;

/** The form key prefix of an embedded Camunda form. */
export const EMBEDDED_PREFIX = 'camunda-forms:bpmn:';

/** A form as it is stored with a deployment. */
export interface DeploymentForm {
  formKey: string;
  kind: FormKind;
  /** The JSON Schema, or the form-js JSON of a Camunda form (what the task is served with). */
  schema: JsonSchema;
  schemaHash: string;
}

/** An uploaded file (multer's shape). */
export interface UploadedFile {
  fieldname?: string;
  originalname: string;
  buffer: Buffer;
  size: number;
}

type Problem = { elementId: string; reason: string };

/** A form key from a JSON Schema's file name: `forms/apply.schema.json` → `apply`. */
export function formKeyOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.schema\.json$/i, '').replace(/\.form$/i, '').replace(/\.json$/i, '');
}

/**
 * Checks a Camunda form (form-js JSON) and compiles its JSON Schema: the problems, named
 * by `where`, and the notes of what the server does not check.
 */
export function checkCamundaForm(form: JsonSchema, where: string): { problems: string[]; notes: string[] } {
  const { schema, notes, problems } = camundaFormSchema(form);
  if (problems.length === 0) {
    try {
      compileCamundaForm(schema);
    } catch (error) {
      problems.push(`its validation rules do not compile: ${(error as Error).message}`);
    }
  }
  return { problems: problems.map((p) => `${where}: ${p}`), notes: notes.map((n) => `${where}: ${n}`) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads the uploaded form files: a `.form` file (or any JSON with `components`) is a
 * Camunda form keyed by its `id`; any other is a JSON Schema keyed by its file name.
 * Every unusable file is a problem of the deployment (thrown all at once).
 */
export function readFormFiles(files: UploadedFile[]): { forms: DeploymentForm[]; warnings: string[] } {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const forms: DeploymentForm[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const name = file.originalname.split(/[\\/]/).pop() || file.originalname;
    // Until its id is read, a Camunda form is named by its file; a JSON Schema by its form key.
    const named = /\.form$/i.test(name) ? name : formKeyOf(name);
    if (file.size > MAX_FORM_BYTES) {
      problems.push({ elementId: named, reason: `the form is larger than ${MAX_FORM_BYTES} bytes` });
      continue;
    }
    const schema = parseJson(file.buffer.toString('utf8'));
    if (schema === undefined) {
      problems.push({ elementId: named, reason: 'the form is not valid JSON' });
      continue;
    }
    if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
      problems.push({ elementId: named, reason: 'the form must be a JSON object (a JSON Schema, or a Camunda form)' });
      continue;
    }
    const camunda = /\.form$/i.test(name) || isCamundaForm(schema);
    const formKey = camunda ? (schema as JsonSchema).id : formKeyOf(name);
    if (typeof formKey !== 'string' || !formKey || formKey.length > 200) {
      problems.push({ elementId: name, reason: camunda ? 'a Camunda form must have an `id` (what zeebe:formDefinition formId names), of 1 to 200 characters' : 'a form file name must give a form key (e.g. apply.schema.json)' });
      continue;
    }
    if (seen.has(formKey)) {
      problems.push({ elementId: formKey, reason: 'two forms have this form key' });
      continue;
    }
    seen.add(formKey);
    const unstorable = findUnstorableText({ formKey, schema }, '');
    if (unstorable) {
      problems.push({ elementId: JSON.stringify(formKey).slice(1, -1), reason: `${unstorable.field}: ${unstorable.reason}` });
      continue;
    }
    const schemaHash = formSchemaHash(schema as JsonSchema);
    if (camunda) {
      if (!isCamundaForm(schema)) {
        problems.push({ elementId: formKey, reason: 'a Camunda form (.form) is a JSON object with a `components` array' });
        continue;
      }
      const checked = checkCamundaForm(schema as JsonSchema, `form '${formKey}'`);
      if (checked.problems.length > 0) {
        problems.push(...checked.problems.map((reason) => ({ elementId: formKey, reason })));
        continue;
      }
      warnings.push(...checked.notes);
      forms.push({ formKey, kind: 'camunda-form', schema: schema as JsonSchema, schemaHash });
      continue;
    }
    try {
      compileForm(schema as JsonSchema, schemaHash);
    } catch (error) {
      problems.push({ elementId: formKey, reason: `the form is not a valid JSON Schema: ${(error as Error).message}` });
      continue;
    }
    forms.push({ formKey, kind: 'json-schema', schema: schema as JsonSchema, schemaHash });
  }
  if (problems.length > 0) throw new DeploymentRejectedError(`${problems.length} form(s) cannot be used`, problems);
  return { forms, warnings };
}

/** What a model says about forms: user tasks' links and the processes' embedded forms. */
export interface ModelFormLinks {
  /** User tasks (and start events) with `zeebe:formDefinition`. */
  links: Array<{ elementId: string; formId?: string; formKey?: string; bindingType?: string; versionTag?: string }>;
  /** `zeebe:userTaskForm` of the processes: id → body. */
  embedded: Map<string, string | undefined>;
}

/** Walks the moddle tree for form links (processes, sub-processes, their flow elements). */
function linksOf(definitions: any): ModelFormLinks {
  const links: ModelFormLinks['links'] = [];
  const embedded = new Map<string, string | undefined>();
  const extensions = (element: any): any[] => element?.extensionElements?.values ?? [];
  const visit = (elements: any[] | undefined, depth: number) => {
    if (depth > 100) return;
    for (const element of elements ?? []) {
      const form = extensions(element).find((e) => e.$type === 'zeebe:FormDefinition');
      if (form) {
        links.push({ elementId: element.id, formId: form.formId || undefined, formKey: form.formKey || undefined, bindingType: form.bindingType || undefined, versionTag: form.versionTag || undefined });
      }
      if (element.flowElements) visit(element.flowElements, depth + 1);
    }
  };
  for (const root of definitions?.rootElements ?? []) {
    if (root.$type !== 'bpmn:Process') continue;
    for (const e of extensions(root)) if (e.$type === 'zeebe:UserTaskForm' && e.id) embedded.set(e.id, e.body);
    visit(root.flowElements, 0);
  }
  return { links, embedded };
}

/** Reads the form links of a BPMN document; none when it names no form or cannot be read (deploy then reports that). */
export async function formLinksOf(xml: string, maxBytes: number): Promise<ModelFormLinks> {
  if (!xml.includes('formDefinition') && !xml.includes('userTaskForm')) return { links: [], embedded: new Map() };
  try {
    const { definitions } = await parseBpmn(xml, { maxBytes });
    return linksOf(definitions);
  } catch {
    return { links: [], embedded: new Map() };
  }
}

/**
 * The forms of a deployment and what to warn about: the uploaded files, plus the embedded
 * Camunda forms the user tasks use; throws the deployment's problems (all at once) when a
 * linked or embedded Camunda form cannot be found or used.
 */
export async function formsOfModel(
  apiStore: Pick<ApiStore, 'latestCamundaForm'>,
  xml: string,
  files: UploadedFile[],
  options: { maxXmlBytes: number },
): Promise<{ forms: DeploymentForm[]; warnings: string[]; linkedIds: string[] }> {
  const { forms, warnings } = readFormFiles(files);
  const { links, embedded } = await formLinksOf(xml, options.maxXmlBytes);
  const problems: Problem[] = [];
  const uploaded = new Map(forms.map((f) => [f.formKey, f]));
  const added = new Set<string>();
  for (const link of links) {
    if (link.formId !== undefined) {
      const form = uploaded.get(link.formId);
      const named = `the Camunda form '${link.formId}' (zeebe:formDefinition formId)`;
      if (link.bindingType === 'versionTag' && !(form?.kind === 'camunda-form' && form.schema.versionTag === link.versionTag)) {
        problems.push({ elementId: link.elementId, reason: `links ${named} with version tag '${link.versionTag ?? ''}': a binding by version tag is resolved among the forms deployed with the model only, and none of them is that form with that tag` });
        continue;
      }
      if (link.bindingType === 'deployment' && form?.kind !== 'camunda-form') {
        problems.push({ elementId: link.elementId, reason: `links ${named} with binding 'deployment', but the form is not deployed with the model` });
        continue;
      }
      if (form?.kind === 'camunda-form') continue;
      if (form) {
        problems.push({ elementId: link.elementId, reason: `links the Camunda form '${link.formId}' (zeebe:formDefinition formId), but '${link.formId}' was deployed as a JSON Schema` });
        continue;
      }
      if (!(await apiStore.latestCamundaForm(link.formId))) {
        problems.push({ elementId: link.elementId, reason: `links the Camunda form '${link.formId}' (zeebe:formDefinition formId), but no form with that id is deployed with the model or before it` });
      }
      continue;
    }
    if (link.formKey?.startsWith(EMBEDDED_PREFIX)) {
      const id = link.formKey.slice(EMBEDDED_PREFIX.length);
      if (added.has(link.formKey)) continue;
      if (!embedded.has(id)) {
        problems.push({ elementId: link.elementId, reason: `names the embedded form '${id}' (formKey ${link.formKey}), but its process has no zeebe:userTaskForm with that id` });
        continue;
      }
      const body = parseJson(embedded.get(id) ?? '');
      if (!isCamundaForm(body)) {
        problems.push({ elementId: link.elementId, reason: `the embedded form '${id}' is not a Camunda form (form-js JSON with a \`components\` array)` });
        continue;
      }
      const unstorable = findUnstorableText(body, '');
      const checked = unstorable ? { problems: [`embedded form '${id}': ${unstorable.field}: ${unstorable.reason}`], notes: [] } : checkCamundaForm(body as JsonSchema, `embedded form '${id}'`);
      if (checked.problems.length > 0) {
        problems.push(...checked.problems.map((reason) => ({ elementId: link.elementId, reason })));
        continue;
      }
      warnings.push(...checked.notes);
      added.add(link.formKey);
      forms.push({ formKey: link.formKey, kind: 'camunda-form', schema: body as JsonSchema, schemaHash: formSchemaHash(body as JsonSchema) });
    }
  }
  if (problems.length > 0) throw new DeploymentRejectedError(`${problems.length} form link(s) cannot be resolved`, problems);
  return { forms, warnings, linkedIds: links.flatMap((l) => (l.formId ? [l.formId] : [])) };
}
