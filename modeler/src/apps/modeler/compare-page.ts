/**
 * The compare page: two models of one procedure side by side (the library's as-is and
 * to-be, or any two deployed versions), the elements added, removed and changed
 * highlighted on both diagrams, and the comparison's figures in a table beside them.
 * The server compares (`POST /api/analysis/compare`); the page only draws the answer.
 *
 * URL: `#/compare/<process id>?before=<source>&after=<source>`, a source being `as-is`,
 * `to-be` (the library's models) or `v:<definition id>` (a deployed version).
 */
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { compare, compareCsv, definitions, type Comparison, type DefinitionSummary, type DiffElement, type FigureRow, type ModelSource } from '../../shared/api';
import { download, h, mount } from '../../shared/dom';
import { currentLocale, t } from '../../shared/i18n';
import { knownCase, showError } from '../../shared/errors';
import { hasDiagram, layoutDocument } from '../../bpmn/auto-layout';
import { formatTime, procedureName } from './procedures-page';

/** What the page compares. */
export interface CompareSelection {
  processId: string;
  before?: string;
  after?: string;
}

/** The markers put on the diagrams (styles.css colours them). */
const MARKER = { added: 'compare-added', removed: 'compare-removed', changed: 'compare-changed' } as const;

/** Figures where fewer is better (the reform's aims); more automated steps is better; the rest are neutral. */
const FEWER_IS_BETTER = new Set(['steps', 'laneHandOffs', 'agencyHandOffs', 'criticalPathDays', 'documents', 'deskVisits', 'manualSteps']);
const MORE_IS_BETTER = new Set(['automatedSteps']);
const ELEMENT_ROWS = new Set(['elementsAdded', 'elementsRemoved', 'elementsChanged']);

/** The most elements listed per kind (a full as-is → to-be diff lists a hundred). */
const LISTED = 12;

/** Steps first, then events and gateways, then flows, lanes, pools and processes: what an analyst looks for first. */
function listOrder(element: DiffElement): number {
  if (/task$|^callActivity$|^subProcess$/i.test(element.type)) return 0;
  if (/Event$|Gateway$/.test(element.type)) return 1;
  if (/Flow$/.test(element.type)) return 2;
  return 3;
}

function sourceOf(value: string, processId: string): ModelSource {
  if (value.startsWith('v:')) return { definitionId: value.slice(2) };
  return { procedure: processId, model: value === 'as-is' ? 'as-is' : 'to-be' };
}

/** Renders the page into `main`; returns its disposer. */
export function renderCompare(main: HTMLElement, selection: CompareSelection): () => void {
  main.classList.add('app-main--wide');
  const { processId } = selection;
  const numbers = new Intl.NumberFormat(currentLocale() === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 });
  const beforeSelect = h('select', { id: 'compare-before', name: 'before' });
  const afterSelect = h('select', { id: 'compare-after', name: 'after' });
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const title = h('h1', { class: 'editor-title', id: 'compare-heading' }, t('compare.heading'));
  const panes = {
    before: diagramPane('before'),
    after: diagramPane('after'),
  };
  const figures = h('div', { class: 'compare-figures-table', 'data-testid': 'figures' });
  const elements = h('div', { class: 'compare-elements', 'data-testid': 'elements' });
  const viewers = {
    before: new (NavigatedViewer as any)({ container: panes.before.canvas }),
    after: new (NavigatedViewer as any)({ container: panes.after.canvas }),
  };
  let current: { before: ModelSource; after: ModelSource } | undefined;
  let note = '';
  /** The model's own (English) name and ours, when they differ: the server's labels carry the model's. */
  let modelName: { bpmn: string; ours: string } | undefined;

  const form = h(
    'form',
    { class: 'compare-form', onsubmit: (e: Event) => (e.preventDefault(), void run()) },
    h('label', { for: 'compare-before' }, t('compare.before')),
    beforeSelect,
    h('span', { 'aria-hidden': 'true', class: 'compare-arrow' }, '→'),
    h('label', { for: 'compare-after' }, t('compare.after')),
    afterSelect,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'compare' }, t('compare.run')),
    h('button', { type: 'button', 'data-testid': 'download-csv', onclick: () => void downloadCsv() }, t('compare.downloadCsv')),
  );
  mount(
    main,
    h(
      'div',
      { class: 'compare' },
      h('div', { class: 'toolbar' }, h('a', { href: '#/procedures', class: 'button' }, t('editor.back')), title, form),
      status,
      h(
        'div',
        { class: 'compare-grid' },
        panes.before.section,
        panes.after.section,
        h('section', { class: 'compare-figures', 'aria-labelledby': 'figures-heading' }, h('h2', { id: 'figures-heading' }, t('compare.figures')), legend(), figures),
      ),
      h('section', { class: 'compare-diff', 'aria-labelledby': 'elements-heading' }, h('h2', { id: 'elements-heading' }, t('compare.elements')), elements),
    ),
  );

  void start();
  return () => {
    viewers.before.destroy();
    viewers.after.destroy();
    main.classList.remove('app-main--wide');
  };

  function diagramPane(side: 'before' | 'after') {
    const heading = h('h2', { id: `diagram-${side}-heading` }, t(side === 'before' ? 'compare.before' : 'compare.after'));
    const canvas = h('div', { class: 'compare-canvas', 'data-testid': `canvas-${side}` });
    const section = h('section', { class: `compare-diagram compare-diagram--${side}`, 'aria-labelledby': `diagram-${side}-heading` }, heading, canvas);
    return { heading, canvas, section };
  }

  function legend(): HTMLElement {
    const item = (kind: keyof typeof MARKER, key: 'compare.added' | 'compare.removed' | 'compare.changed') => h('li', {}, h('span', { class: `swatch swatch--${kind}`, 'aria-hidden': 'true' }), t(key));
    return h('div', { class: 'compare-legend' }, h('h3', {}, t('compare.legend')), h('ul', {}, item('removed', 'compare.removed'), item('added', 'compare.added'), item('changed', 'compare.changed')));
  }

  function say(text: string, kind?: 'error' | 'ok'): void {
    status.textContent = text;
    if (kind) status.dataset.kind = kind;
    else delete status.dataset.kind;
  }

  async function start(): Promise<void> {
    let versions: DefinitionSummary[] = [];
    try {
      versions = (await definitions({ processId, latest: false })).sort((a, b) => b.version - a.version);
    } catch (error) {
      sayError(error);
    }
    const name = versions[0] ? procedureName(versions[0]) : processId;
    modelName = versions[0]?.name && versions[0].name !== name ? { bpmn: versions[0].name, ours: name } : undefined;
    title.textContent = `${t('compare.heading')}: ${name}`;
    const options = [
      { value: 'as-is', label: t('compare.asIs') },
      { value: 'to-be', label: t('compare.toBe') },
      ...versions.map((d) => ({ value: `v:${d.id}`, label: t('compare.version', { version: `v${d.version}`, time: formatTime(d.createdAt) }) })),
    ];
    const before = selection.before ?? 'as-is';
    const after = selection.after ?? (versions[0] ? `v:${versions[0].id}` : 'to-be');
    for (const [select, chosen] of [[beforeSelect, before], [afterSelect, after]] as const) {
      mount(select, ...options.map((o) => h('option', { value: o.value, selected: o.value === chosen }, o.label)));
    }
    await run();
  }

  async function run(): Promise<void> {
    const sources = { before: sourceOf(beforeSelect.value, processId), after: sourceOf(afterSelect.value, processId) };
    const query = new URLSearchParams({ before: beforeSelect.value, after: afterSelect.value });
    history.replaceState(null, '', `#/compare/${encodeURIComponent(processId)}?${query}`);
    say(t('compare.loading'));
    main.setAttribute('aria-busy', 'true');
    try {
      const comparison = await compare(sources.before, sources.after);
      current = sources;
      await Promise.all([draw('before', comparison), draw('after', comparison)]);
      showFigures(comparison.figures, comparison);
      showElements(comparison);
      const warnings = [...comparison.before.warnings, ...comparison.after.warnings];
      say([note, warnings.join(' '), sharesNoId(comparison) ? t('compare.sameIds') : ''].filter(Boolean).join(' '));
    } catch (error) {
      const missing = knownCase(error, 'compare');
      const model = missing === 'error.noAsIs' ? 'as-is' : missing === 'error.noToBe' ? 'to-be' : undefined;
      if (model && dropLibraryModel(model)) {
        note = t(model === 'as-is' ? 'compare.noAsIsNote' : 'compare.noToBeNote');
        main.removeAttribute('aria-busy');
        await run();
        return;
      }
      sayError(error);
    } finally {
      main.removeAttribute('aria-busy');
    }
  }

  /**
   * Takes a library model the library does not have out of both lists, choosing for a
   * side that showed it the oldest deployed version (before) or the newest (after).
   * False when nothing is left to compare.
   */
  function dropLibraryModel(model: 'as-is' | 'to-be'): boolean {
    for (const select of [beforeSelect, afterSelect]) select.querySelector(`option[value="${model}"]`)?.remove();
    const values = [...beforeSelect.options].map((o) => o.value);
    if (values.length < 2) return false;
    if (!values.includes(beforeSelect.value) || beforeSelect.value === afterSelect.value) beforeSelect.value = values[values.length - 1];
    if (!values.includes(afterSelect.value) || beforeSelect.value === afterSelect.value) afterSelect.value = values.find((v) => v !== beforeSelect.value)!;
    return true;
  }

  function sayError(error: unknown): void {
    status.dataset.kind = 'error';
    showError(status, error, 'compare', (detail) => t('compare.failed', { detail }));
  }

  /** True when every element drawn before was removed (an as-is and a to-be drawn apart). */
  function sharesNoId(comparison: Comparison): boolean {
    const removed = new Set(comparison.elements.removed.map((e) => e.id));
    const root = viewers.before.get('canvas').getRootElement();
    const drawn = viewers.before.get('elementRegistry').filter((e: any) => e !== root && e.type !== 'label');
    return removed.size > 0 && drawn.every((e: any) => removed.has(e.id));
  }

  async function draw(side: 'before' | 'after', comparison: Comparison): Promise<void> {
    const viewer = viewers[side];
    const model = { ...comparison[side], label: ours(comparison[side].label) };
    panes[side].heading.textContent = `${t(side === 'before' ? 'compare.before' : 'compare.after')}: ${model.label}`;
    panes[side].canvas.setAttribute('aria-label', t('compare.diagram', { side: t(side === 'before' ? 'compare.before' : 'compare.after').toLowerCase(), label: model.label }));
    panes[side].canvas.setAttribute('role', 'group');
    const xml = hasDiagram(model.xml) ? model.xml : await layoutDocument(model.xml, viewer.get('moddle'));
    await viewer.importXML(xml);
    const canvas = viewer.get('canvas');
    const registry = viewer.get('elementRegistry');
    // Pools and lanes get an outline only: a filled pool would tint every step inside it.
    const box = new Set(['participant', 'lane']);
    const mark = (list: DiffElement[], marker: string) => list.forEach((e) => registry.get(e.id) && canvas.addMarker(e.id, box.has(e.type) ? `${marker}-box` : marker));
    if (side === 'before') mark(comparison.elements.removed, MARKER.removed);
    else mark(comparison.elements.added, MARKER.added);
    mark(comparison.elements.changed, MARKER.changed);
    canvas.zoom('fit-viewport', 'auto');
  }

  function ours(label: string): string {
    return modelName ? label.split(modelName.bpmn).join(modelName.ours) : label;
  }

  function percent(row: FigureRow): string {
    if (row.changePercent === null) return t('compare.new');
    return `${row.changePercent > 0 ? '+' : ''}${numbers.format(row.changePercent)} %`;
  }

  function showFigures(rows: FigureRow[], comparison: Comparison): void {
    const language = currentLocale();
    mount(
      figures,
      h(
        'table',
        { class: 'figures' },
        h('caption', { class: 'visually-hidden' }, `${t('compare.figures')}: ${ours(comparison.before.label)} → ${ours(comparison.after.label)}`),
        h(
          'thead',
          {},
          h('tr', {}, h('th', { scope: 'col' }, t('compare.figure')), h('th', { scope: 'col', class: 'num' }, t('compare.before')), h('th', { scope: 'col', class: 'num' }, t('compare.after')), h('th', { scope: 'col', class: 'num' }, t('compare.change'))),
        ),
        h(
          'tbody',
          {},
          rows.map((row) => {
            const element = ELEMENT_ROWS.has(row.key);
            const better = (FEWER_IS_BETTER.has(row.key) && row.change < 0) || (MORE_IS_BETTER.has(row.key) && row.change > 0);
            const worse = (FEWER_IS_BETTER.has(row.key) && row.change > 0) || (MORE_IS_BETTER.has(row.key) && row.change < 0);
            const trend = better ? 'better' : worse ? 'worse' : 'same';
            return h(
              'tr',
              { 'data-figure': row.key, class: element ? 'figure-elements' : undefined },
              h('th', { scope: 'row' }, row.label[language]),
              h('td', { class: 'num' }, element ? '' : numbers.format(row.before)),
              h('td', { class: 'num' }, numbers.format(row.after)),
              h('td', { class: `num change change--${trend}` }, element || row.change === 0 ? (element ? '' : '0 %') : percent(row)),
            );
          }),
        ),
      ),
    );
  }

  function showElements(comparison: Comparison): void {
    const list = (kind: 'added' | 'removed' | 'changed', side: 'before' | 'after') => {
      const items = [...comparison.elements[kind]].sort((a, b) => listOrder(a) - listOrder(b));
      const viewer = viewers[side];
      const entry = (e: DiffElement) => {
        const label = nameOf(e, viewer);
        const detail = e.changes ? e.changes.map((c) => `${c.property}: ${c.before ?? '—'} → ${c.after ?? '—'}`).join('; ') : e.type;
        const target = viewer.get('elementRegistry').get(e.id);
        const show = () => (viewer.get('canvas').scrollToElement(target), panes[side].section.scrollIntoView({ block: 'nearest' }));
        return h('li', { 'data-element-id': e.id }, target ? h('button', { type: 'button', class: 'link', onclick: show }, label) : label, h('span', { class: 'muted' }, ` · ${detail}`));
      };
      return h(
        'section',
        { class: `compare-list compare-list--${kind}` },
        h('h3', {}, h('span', { class: `swatch swatch--${kind}`, 'aria-hidden': 'true' }), `${t(`compare.${kind}`)} (${items.length})`),
        items.length === 0 ? h('p', { class: 'muted' }, t('compare.none')) : h('ul', {}, items.slice(0, LISTED).map(entry), items.length > LISTED && h('li', { class: 'muted' }, t('compare.moreElements', { count: items.length - LISTED }))),
      );
    };
    mount(elements, list('removed', 'before'), list('added', 'after'), list('changed', 'after'));
  }

  /**
   * What the list calls an element: its name; a flow without one by its ends' names
   * ("Tiếp nhận → Thẩm định"), as the analyst sees it on the diagram; the id last.
   */
  function nameOf(e: DiffElement, viewer: any): string {
    if (e.name) return e.name;
    const bo = viewer.get('elementRegistry').get(e.id)?.businessObject;
    const end = (node: any) => (node ? node.name || t(node.$type === 'bpmn:StartEvent' ? 'compare.start' : node.$type === 'bpmn:EndEvent' ? 'compare.end' : 'compare.unnamed') : '?');
    if (bo?.sourceRef || bo?.targetRef) return `${end(bo.sourceRef)} → ${end(bo.targetRef)}`;
    return e.id;
  }

  async function downloadCsv(): Promise<void> {
    if (!current) return;
    try {
      download(`${processId}-compare.csv`, await compareCsv(current.before, current.after), 'text/csv');
    } catch (error) {
      sayError(error);
    }
  }
}
