/**
 * Shows the problems a deployment was refused for (`{elementId, reason}` from the
 * engine's compiler) on the elements they name: a red marker on the shape and a
 * badge whose tooltip is the reason. Problems naming no drawn element stay in the
 * page's list only. Cleared on the next deployment and when a diagram is imported.
 */
import type { ElementProblem } from '../../shared/api';

const MARKER = 'motcua-problem';
const OVERLAY = 'motcua-problem';

/** The didi service `deployProblems`. */
export default class DeployProblems {
  static $inject = ['eventBus', 'overlays', 'canvas', 'elementRegistry'];

  private marked: string[] = [];

  constructor(
    eventBus: any,
    private readonly overlays: any,
    private readonly canvas: any,
    private readonly elementRegistry: any,
  ) {
    eventBus.on('import.done', () => this.clear());
  }

  /** Marks each problem on its element; returns the problems whose element is drawn. */
  show(problems: ElementProblem[]): ElementProblem[] {
    this.clear();
    const byElement = new Map<string, string[]>();
    for (const problem of problems) {
      if (!this.elementRegistry.get(problem.elementId)) continue;
      byElement.set(problem.elementId, [...(byElement.get(problem.elementId) ?? []), problem.reason]);
    }
    for (const [elementId, reasons] of byElement) {
      this.canvas.addMarker(elementId, MARKER);
      const badge = document.createElement('div');
      badge.className = 'motcua-problem-badge';
      badge.setAttribute('role', 'img');
      badge.setAttribute('aria-label', reasons.join('\n'));
      badge.title = reasons.join('\n');
      badge.textContent = String(reasons.length);
      this.overlays.add(elementId, OVERLAY, { position: { top: -10, left: -10 }, html: badge });
      this.marked.push(elementId);
    }
    return problems.filter((problem) => byElement.has(problem.elementId));
  }

  /** Removes every marker and badge. */
  clear(): void {
    for (const elementId of this.marked) {
      if (this.elementRegistry.get(elementId)) this.canvas.removeMarker(elementId, MARKER);
    }
    this.marked = [];
    this.overlays.remove({ type: OVERLAY });
  }
}
