/**
 * The editor's simulation panel: a form of the run's parameters (defaults that suit a
 * commune's desk), the report of `POST /api/analysis/simulate` (cycle time, on-time shares,
 * the staff pools' utilisation, the plots), and a heat overlay of the mean waiting time per
 * element on the diagram, from the simulation or, for a deployed procedure, from the real
 * history (`GET /api/analysis/mining`), with its legend.
 */
import { definitions, historyHeat, simulate, type ElementWait, type SimulationReport } from '../../shared/api';
import { h, mount } from '../../shared/dom';
import { currentLocale, t } from '../../shared/i18n';

type Say = (text: string, kind?: 'info' | 'error' | 'ok') => void;

/** The panel and the button that opens it. */
export interface SimulatePanel {
  element: HTMLElement;
  open(): void;
  /** Removes the overlay (before the diagram is replaced). */
  clear(): void;
}

const OVERLAY_TYPE = 'motcua-heat';

/** The heat colour of a share 0…1 of the longest mean wait: pale yellow to deep red. */
export function heatColour(share: number): string {
  const s = Math.max(0, Math.min(1, share));
  const hue = Math.round(55 - 55 * s);
  return `hsla(${hue}, 90%, ${Math.round(62 - 17 * s)}%, 0.55)`;
}

const number = (value: number, digits = 1) => value.toLocaleString(currentLocale() === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits });
const percent = (share: number) => `${number(share * 100)} %`;

/** Creates the panel over `modeler`; `processOf` names the process on the canvas. */
export function createSimulatePanel(modeler: any, say: Say, processOf: () => { id: string } | undefined): SimulatePanel {
  const today = new Date().toISOString().slice(0, 10);
  const field = (name: string, label: string, attributes: Record<string, string | number>) =>
    h('label', { class: 'simulate-field' }, label, h('input', { name, 'data-testid': `simulate-${name}`, ...attributes }));
  const form = h(
    'form',
    { class: 'simulate-form', onsubmit: (e: Event) => (e.preventDefault(), void run()) },
    field('dossiers', t('simulate.dossiers'), { type: 'number', min: 1, max: 5000, value: 200, required: 'required' }),
    field('perWorkingDay', t('simulate.perWorkingDay'), { type: 'number', min: 0.1, max: 1000, step: 0.1, value: 5, required: 'required' }),
    field('start', t('simulate.start'), { type: 'date', value: today, required: 'required' }),
    field('seed', t('simulate.seed'), { type: 'number', min: 0, max: 4294967295, value: 1, required: 'required' }),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'simulate-run' }, t('simulate.run')),
  );
  const sourceName = 'heat-source';
  const fromSimulation = h('input', { type: 'radio', name: sourceName, value: 'simulation', checked: true, disabled: true, onchange: () => void showHeat() });
  const fromHistory = h('input', { type: 'radio', name: sourceName, value: 'history', disabled: true, onchange: () => void showHeat() });
  const sources = h(
    'fieldset',
    { class: 'heat-source' },
    h('legend', {}, t('simulate.heat')),
    h('label', {}, fromSimulation, ' ', t('simulate.fromSimulation')),
    h('label', {}, fromHistory, ' ', t('simulate.fromHistory')),
  );
  const legend = h('div', { class: 'heat-legend', 'data-testid': 'heat-legend', hidden: true });
  const report = h('div', { class: 'simulate-report', 'data-testid': 'simulate-report' });
  const element = h(
    'section',
    { class: 'simulate-panel', 'aria-labelledby': 'simulate-heading', hidden: true, 'data-testid': 'simulate-panel' },
    h('h2', { id: 'simulate-heading', tabindex: -1 }, t('simulate.heading')),
    form,
    sources,
    legend,
    report,
  );
  let simulated: Record<string, ElementWait> | undefined;

  function clear(): void {
    modeler.get('overlays').remove({ type: OVERLAY_TYPE });
    legend.hidden = true;
  }

  async function open(): Promise<void> {
    element.hidden = !element.hidden;
    if (element.hidden) return clear();
    (element.querySelector('h2') as HTMLElement).focus();
    const process = processOf();
    const deployed = process ? await definitions({ processId: process.id, latest: true }).catch(() => []) : [];
    fromHistory.disabled = deployed.length === 0;
    fromHistory.title = deployed.length === 0 ? t('simulate.historyOnlyDeployed') : '';
  }

  async function run(): Promise<void> {
    const data = new FormData(form);
    const { xml } = await modeler.saveXML({ format: false });
    say(t('simulate.running'));
    try {
      const result = await simulate(xml, {
        dossiers: Number(data.get('dossiers')),
        arrivals: { perWorkingDay: Number(data.get('perWorkingDay')) },
        start: String(data.get('start')),
        seed: Number(data.get('seed')),
      });
      simulated = result.toBe.elements;
      showReport(result);
      fromSimulation.disabled = false;
      fromSimulation.checked = true;
      await showHeat();
      say(t('simulate.done', { dossiers: result.toBe.dossiers }), 'ok');
    } catch (error) {
      say(t('simulate.failed', { detail: (error as Error).message }), 'error');
    }
  }

  function showReport(result: SimulationReport): void {
    const r = result.toBe;
    const row = (key: string, label: string, value: string) => h('tr', { 'data-figure': key }, h('th', { scope: 'row' }, label), h('td', {}, value));
    const figures = h(
      'table',
      { class: 'figures', 'data-testid': 'simulate-figures' },
      h('caption', {}, t('simulate.figures', { dossiers: r.dossiers })),
      h(
        'tbody',
        {},
        row('cycleMean', t('simulate.cycleMean'), `${number(r.cycleTime.mean)} ${t('simulate.days')}`),
        row('cycleP50', t('simulate.cycleP50'), `${number(r.cycleTime.p50)} ${t('simulate.days')}`),
        row('cycleP90', t('simulate.cycleP90'), `${number(r.cycleTime.p90)} ${t('simulate.days')}`),
        row('cycleMax', t('simulate.cycleMax'), `${number(r.cycleTime.max)} ${t('simulate.days')}`),
        r.onTime && row('onTimeLegal', t('simulate.onTimeLegal'), percent(r.onTime.legal.share)),
        r.onTime && row('onTime766', t('simulate.onTime766'), percent(r.onTime.decision766.share)),
        ...r.pools.map((p) => row(`pool-${p.id}`, t('simulate.utilisation', { pool: `${p.role} · ${p.agency}`, staff: p.staff }), percent(p.utilisation))),
      ),
    );
    const plot = (svg: string, alt: string) => h('figure', {}, h('img', { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, alt }), h('figcaption', {}, alt));
    const notes = [...r.assumptions, ...r.warnings];
    mount(
      report,
      figures,
      h('div', { class: 'simulate-plots' }, plot(result.plots.cycleTimeHistogram, t('simulate.plotHistogram')), plot(result.plots.cycleTimeCdf, t('simulate.plotCdf')), plot(result.plots.utilisation, t('simulate.plotUtilisation'))),
      notes.length > 0 ? h('details', {}, h('summary', {}, t('simulate.assumptions', { count: notes.length })), h('ul', {}, ...notes.map((n) => h('li', {}, n)))) : document.createTextNode(''),
    );
  }

  async function showHeat(): Promise<void> {
    clear();
    let waits: Record<string, ElementWait> | undefined = simulated;
    let source = t('simulate.fromSimulation');
    if (fromHistory.checked) {
      const process = processOf();
      if (!process) return;
      try {
        const history = await historyHeat(process.id);
        waits = history.elements;
        source = t('simulate.historyCases', { cases: history.cases });
      } catch (error) {
        say(t('simulate.failed', { detail: (error as Error).message }), 'error');
        return;
      }
    }
    if (!waits) return;
    drawHeat(waits, source);
  }

  function drawHeat(waits: Record<string, ElementWait>, source: string): void {
    const registry = modeler.get('elementRegistry');
    const overlays = modeler.get('overlays');
    const max = Math.max(0, ...Object.values(waits).map((w) => w.meanWaitHours));
    let drawn = 0;
    for (const [id, wait] of Object.entries(waits)) {
      const shape = registry.get(id);
      if (!shape || shape.waypoints) continue;
      const share = max > 0 ? wait.meanWaitHours / max : 0;
      const label = t('simulate.waitBadge', { hours: number(wait.meanWaitHours) });
      overlays.add(shape, OVERLAY_TYPE, {
        position: { top: 0, left: 0 },
        html: h(
          'div',
          { class: 'heat-overlay', 'data-element-id': id, 'data-wait-hours': String(wait.meanWaitHours), style: `width:${shape.width}px;height:${shape.height}px;background:${heatColour(share)}`, title: label },
          h('span', { class: 'heat-badge' }, label),
        ),
      });
      drawn += 1;
    }
    mount(
      legend,
      h('span', {}, t('simulate.legend', { source })),
      h('span', { class: 'heat-scale', style: `background:linear-gradient(to right, ${heatColour(0)}, ${heatColour(0.5)}, ${heatColour(1)})`, 'aria-hidden': 'true' }),
      h('span', {}, `0 – ${number(max)} ${t('simulate.hours')}`),
      h('span', { class: 'muted' }, t('simulate.legendCount', { count: drawn })),
    );
    legend.hidden = false;
  }

  return { element, open: () => void open(), clear };
}
