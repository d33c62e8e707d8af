/**
 * The editor: bpmn-js Modeler with the Zeebe properties panel and our "Một cửa"
 * group, live lint on the canvas, deploy with the refused deployment's problems on
 * their elements, the deployed versions of the process, downloads and opening a file.
 * This page is a chunk of its own (main.ts loads it on demand); within it, the form editor,
 * the token simulation and the simulation panel are chunks loaded when first used.
 */
import { catalogue, ApiError, definition, definitions, deploy, draft, draftIdFor, principal, saveDraft, type ElementProblem } from '../../shared/api';
import { download, h, mount, pickFile, svgToPng } from '../../shared/dom';
import { t } from '../../shared/i18n';
import { hasDiagram, layoutDocument, linkAllFlows } from '../../bpmn/auto-layout';
import { createModeler } from '../../bpmn/create-modeler';
import { oneStopShopTemplate } from '../../bpmn/procedure-template/one-stop-shop-template';
import { createFormEditing } from './form-editor';
import { formatTime } from './procedures-page';
import type { SimulatePanel } from './simulate-panel';
import { createTokenWalk } from './token-walk';

/** The performance mark set when the editor starts opening a diagram. */
const OPEN_MARK = 'motcua.editor.open.start';

/** Marks of the steps in between: the XML at hand (fetched or read), the diagram imported. */
const LOADED_MARK = 'motcua.editor.open.loaded';
const IMPORTED_MARK = 'motcua.editor.open.imported';

/** The performance measure from that mark to the diagram drawn and ready to edit. */
export const OPEN_MEASURE = 'motcua.editor.open';

/** What the editor opens. */
export interface EditorSource {
  definitionId?: string;
  draftId?: string;
  template?: boolean;
  fromFile?: boolean;
}

/**
 * Renders the editor into `main`; returns its disposer. `startedAt` is when the analyst asked
 * for it (the router's time, before this page's chunk was fetched), so the timing includes it.
 */
export function renderEditor(main: HTMLElement, source: EditorSource, startedAt = performance.now()): () => void {
  // Chromium's timing of "open to ready to edit" (read by test/bench/modeler-open.ts).
  for (const mark of [OPEN_MARK, LOADED_MARK, IMPORTED_MARK]) performance.clearMarks(mark);
  performance.mark(OPEN_MARK, { startTime: startedAt });
  const canvas = h('div', { class: 'canvas', 'data-testid': 'canvas' });
  const panel = h('aside', { class: 'properties', 'aria-label': 'Properties' });
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const title = h('h1', { class: 'editor-title' }, '…');
  const problemsList = h('ul', { class: 'problems', 'data-testid': 'problems' });
  const versionsList = h('ul', { class: 'versions', 'data-testid': 'versions' });
  const modeler = createModeler({ container: canvas, propertiesParent: panel });
  // The simulation panel's chunk comes with the first press of its button.
  const simulationSlot = h('div', { class: 'simulate-slot' });
  let simulation: SimulatePanel | undefined;
  const walk = createTokenWalk(modeler, canvas, [panel], (text, kind) => say(text, kind));
  let resourceName = 'procedure.bpmn';
  let draftId = source.draftId;

  const button = (label: string, onclick: () => void, extra: Record<string, string> = {}) => h('button', { type: 'button', onclick, ...extra }, label);
  const toolbar = h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': t('app.title') },
    h('a', { href: '#/procedures', class: 'button' }, t('editor.back')),
    title,
    h(
      'div',
      { class: 'actions' },
      button(t('editor.undo'), () => modeler.get('commandStack').undo()),
      button(t('editor.redo'), () => modeler.get('commandStack').redo()),
      button(t('editor.openFile'), () => void openFile()),
      button(t('editor.form'), () => void forms.open(), { 'data-testid': 'edit-form', title: t('editor.formHint') }),
      button(t('editor.saveDraft'), () => void saveAsDraft(), { 'data-testid': 'save-draft' }),
      button(t('editor.downloadBpmn'), () => void downloadBpmn()),
      button(t('editor.downloadSvg'), () => void downloadSvg()),
      button(t('editor.downloadPng'), () => void downloadPng()),
      button(t('editor.simulate'), () => void openSimulation(), { 'data-testid': 'simulate' }),
      walk.button,
      button(t('editor.fit'), () => fitDiagram(), { 'data-testid': 'fit', title: t('editor.fitHint') }),
      button(t('editor.deploy'), () => void deployModel(), { class: 'primary', 'data-testid': 'deploy' }),
    ),
  );
  mount(
    main,
    h(
      'div',
      { class: 'editor' },
      toolbar,
      status,
      h('div', { class: 'workspace' }, canvas, panel),
      walk.element,
      simulationSlot,
      h(
        'div',
        { class: 'editor-footer' },
        h('section', { 'aria-labelledby': 'problems-heading' }, h('h2', { id: 'problems-heading' }, t('editor.problems')), problemsList),
        h('section', { 'aria-labelledby': 'versions-heading' }, h('h2', { id: 'versions-heading' }, t('editor.versions')), versionsList),
      ),
    ),
  );
  main.classList.add('app-main--editor');

  const say = (text: string, kind: 'info' | 'error' | 'ok' = 'info') => {
    status.textContent = text;
    status.dataset.kind = kind;
  };
  const forms = createFormEditing(modeler, say);

  function processOf(): { id: string; name?: string } | undefined {
    const definitionsElement = modeler.getDefinitions?.();
    const process = definitionsElement?.rootElements?.find((e: any) => e.$type === 'bpmn:Process' && e.isExecutable !== false) ?? definitionsElement?.rootElements?.find((e: any) => e.$type === 'bpmn:Process');
    return process ? { id: process.id, name: process.name } : undefined;
  }

  async function showVersions(): Promise<void> {
    const process = processOf();
    title.textContent = process?.name || process?.id || '';
    if (!process) return mount(versionsList);
    const all = await definitions({ processId: process.id, latest: false });
    if (all.length === 0) return mount(versionsList, h('li', {}, t('editor.noVersions')));
    // Something to compare with: the library's as-is (a catalogue procedure) or an earlier version.
    const inCatalogue = all.length < 2 && (await catalogue().catch(() => [])).some((p) => p.document.processId === process.id);
    const compareLink = (all.length >= 2 || inCatalogue) && h('li', {}, h('a', { href: `#/compare/${encodeURIComponent(process.id)}`, 'data-testid': 'compare-link' }, t('procedures.compareWith', { name: process.name || process.id })));
    mount(versionsList, ...all.map((d) => h('li', { 'data-version': String(d.version) }, h('a', { href: `#/edit/${encodeURIComponent(d.id)}` }, `v${d.version}`), ' · ', formatTime(d.createdAt))), ...(compareLink ? [compareLink] : []));
  }

  function showProblems(problems: ElementProblem[]): void {
    if (problems.length === 0) return mount(problemsList, h('li', { class: 'muted' }, t('editor.noProblems')));
    const registry = modeler.get('elementRegistry');
    mount(
      problemsList,
      ...problems.map((p) => {
        const element = registry.get(p.elementId);
        const label = element ? h('button', { type: 'button', class: 'link', onclick: () => (modeler.get('selection').select(element), modeler.get('canvas').scrollToElement(element)) }, p.elementId) : h('code', {}, p.elementId || '—');
        return h('li', { 'data-element-id': p.elementId }, label, ': ', p.reason);
      }),
    );
  }

  async function openSimulation(): Promise<void> {
    if (!simulation) {
      try {
        const { createSimulatePanel } = await import('./simulate-panel');
        simulation ??= createSimulatePanel(modeler, (text, kind) => say(text, kind), () => processOf());
        mount(simulationSlot, simulation.element);
      } catch (error) {
        return say((error as Error).message, 'error');
      }
    }
    simulation.open();
  }

  async function importXml(xml: string, name: string): Promise<void> {
    performance.mark(LOADED_MARK);
    simulation?.clear();
    walk.close();
    try {
      const laidOut = !hasDiagram(xml);
      const { warnings } = await modeler.importXML(laidOut ? await layoutDocument(xml, modeler.get('moddle')) : xml);
      // Before the first lint run (deferred by bpmn-js-bpmnlint): its rules read the nodes' flows.
      linkAllFlows(modeler.getDefinitions());
      performance.mark(IMPORTED_MARK);
      resourceName = name;
      fitDiagram();
      if (performance.getEntriesByName(OPEN_MEASURE, 'measure').length === 0) performance.measure(OPEN_MEASURE, OPEN_MARK);
      showProblems([]);
      say([laidOut && t('editor.laidOut'), warnings.length > 0 && t('editor.importWarnings', { count: warnings.length })].filter(Boolean).join(' '));
      await showVersions();
    } catch (error) {
      say(t('editor.importFailed', { detail: (error as Error).message }), 'error');
    }
  }

  /**
   * Fits the whole diagram in the canvas, clear of the palette and the lint badge (both in
   * the canvas's left column), never above 100 %. Remembers the view it made, so a resize
   * refits only while the analyst has not zoomed or moved the diagram since.
   */
  let fittedView: string | undefined;
  function fitDiagram(): void {
    const view = modeler.get('canvas');
    const box = view.viewbox();
    const { inner, outer } = box;
    if (!inner || inner.width <= 0 || inner.height <= 0 || outer.width <= 0 || outer.height <= 0) return;
    // The left column holds the palette and, below it, the lint badge: the diagram starts right of both.
    const origin = canvas.getBoundingClientRect().left;
    const rights = ['.djs-palette', '.bjsl-button'].map((selector) => canvas.querySelector(selector)?.getBoundingClientRect()).filter((r) => r && r.width > 0).map((r) => r!.right - origin);
    const left = rights.length > 0 ? Math.max(...rights) + 16 : 24;
    const pad = 16;
    const scale = Math.min((outer.width - left - pad) / inner.width, (outer.height - 2 * pad) / inner.height, 1);
    const spareX = (outer.width - left - pad - inner.width * scale) / 2;
    const spareY = (outer.height - 2 * pad - inner.height * scale) / 2;
    view.viewbox({ x: inner.x - (left + spareX) / scale, y: inner.y - (pad + spareY) / scale, width: outer.width / scale, height: outer.height / scale });
    fittedView = viewKey();
  }
  function viewKey(): string {
    const { x, y, scale, outer } = modeler.get('canvas').viewbox();
    return [x, y, scale, outer.width, outer.height].map((n: number) => n.toFixed(2)).join(',');
  }
  // The canvas changes size with the window, the simulation panel, the token walk: refit if untouched.
  let lastSize = '';
  const resizeObserver = new ResizeObserver(() => {
    const size = `${canvas.clientWidth}x${canvas.clientHeight}`;
    if (size === lastSize) return;
    lastSize = size;
    const untouched = fittedView !== undefined && fittedView.split(',').slice(0, 3).join(',') === viewKey().split(',').slice(0, 3).join(',');
    modeler.get('canvas').resized();
    if (untouched) fitDiagram();
  });
  resizeObserver.observe(canvas);

  async function openFile(): Promise<void> {
    const file = await pickFile('.bpmn,.xml,application/xml');
    if (file) await importXml(file.text, file.name);
  }

  async function saveAsDraft(): Promise<void> {
    const process = processOf();
    const { xml } = await modeler.saveXML({ format: true });
    const id = draftId ?? draftIdFor(process?.id ?? resourceName.replace(/\.(bpmn|xml)$/i, ''));
    try {
      const saved = await saveDraft(id, xml, { name: process?.name, processId: process?.id });
      draftId = saved.id;
      say(t('editor.draftSaved', { id: saved.id, time: formatTime(saved.updatedAt) }), 'ok');
    } catch (error) {
      say((error as Error).message, 'error');
    }
  }

  async function downloadBpmn(): Promise<void> {
    const { xml } = await modeler.saveXML({ format: true });
    download(resourceName.endsWith('.bpmn') ? resourceName : `${resourceName}.bpmn`, xml, 'application/xml');
  }

  async function downloadSvg(): Promise<void> {
    const { svg } = await modeler.saveSVG();
    download(resourceName.replace(/\.(bpmn|xml)$/i, '') + '.svg', svg, 'image/svg+xml');
  }

  async function downloadPng(): Promise<void> {
    const { svg } = await modeler.saveSVG();
    download(resourceName.replace(/\.(bpmn|xml)$/i, '') + '.png', await svgToPng(svg), 'image/png');
  }

  async function deployModel(): Promise<void> {
    const deployProblems = modeler.get('deployProblems');
    deployProblems.clear();
    const { xml } = await modeler.saveXML({ format: true });
    try {
      const result = await deploy(xml, resourceName, forms.files());
      const made = result.definitions[0];
      showProblems([]);
      if (made) say(made.duplicate ? t('editor.unchanged', { version: made.version }) : t('editor.deployed', { processId: made.processId, version: made.version }), 'ok');
      await showVersions();
    } catch (error) {
      const problems = error instanceof ApiError ? (error.problem.problems ?? []) : [];
      if (problems.length > 0) {
        deployProblems.show(problems);
        showProblems(problems);
        say(t('editor.rejected', { count: problems.length }), 'error');
      } else {
        say((error as Error).message, 'error');
      }
    }
  }

  if (source.definitionId) {
    definition(source.definitionId).then(
      (d) => Promise.all([importXml(d.xml, `${d.processId}.bpmn`), forms.loadDeployment(d.deploymentId)]),
      (error: Error) => say(error.message, 'error'),
    );
  } else if (source.draftId) {
    draft(source.draftId).then(
      (d) => importXml(d.xml, `${d.processId ?? d.id}.bpmn`),
      (error: Error) => say(error.message, 'error'),
    );
  } else if (source.template) {
    const processId = `procedure_${Math.random().toString(36).slice(2, 8)}`;
    void importXml(oneStopShopTemplate({ processId, agency: principal()?.agency }), `${processId}.bpmn`);
  } else if (source.fromFile) {
    void openFile();
  }

  return () => {
    walk.close();
    resizeObserver.disconnect();
    main.classList.remove('app-main--editor');
    modeler.destroy();
  };
}
