/**
 * Administering the working calendars: list, read and replace a year's schedule
 * and an agency's own hours. A replacement is validated, put in force in this
 * process, stored with a change record, and (setting `MOTCUA_RECOMPUTE_DUE_DATES`)
 * the open tasks due by their statutory time get due dates counted on the new
 * data, in the same transaction. Appointments already set on instances
 * (`appointmentAt`) never move; timers already scheduled keep their moment.
 */
import { type CalendarChange, type CalendarDataStore, type Engine, InvalidInputError, statutoryDueAt, type TaskDueUpdate, type TaskWarning, warningBefore } from '../../../engine/src/index';
import { CalendarRegistry, ClockDataError, type AgencyCalendarOptions, type VnYearData, type YearSummary } from '../../../onestop/src/clocks';

/** Options of {@link CalendarService.open}. */
export interface CalendarServiceOptions {
  /** Where the calendar data is kept. */
  store: CalendarDataStore;
  now: () => number;
  /** Recompute open tasks' due dates on a change (default true). */
  recomputeDueDates?: boolean;
  /** The engine's warning before due, to recompute follow-up dates the same way. */
  taskWarning?: TaskWarning;
  /** The registry (default: the bundled data); stored rows are loaded into it. */
  registry?: CalendarRegistry;
}

/** The calendar data of this process, its storage and its change record. */
export class CalendarService {
  private constructor(
    readonly registry: CalendarRegistry,
    private readonly options: CalendarServiceOptions,
  ) {}

  /** Loads the stored years and agencies over the bundled data; a stored row that no longer validates stops start-up, naming it. */
  static async open(options: CalendarServiceOptions): Promise<CalendarService> {
    const registry = options.registry ?? new CalendarRegistry();
    const years = [...(await options.store.data('year')).entries()].sort(([a], [b]) => Number(a) - Number(b));
    for (const [key, data] of years) registry.replaceYear(data, `stored year ${key}`);
    for (const [agency, data] of await options.store.data('agency')) registry.replaceAgency(agency, data);
    return new CalendarService(registry, options);
  }

  /** The years known, in order. */
  years(): YearSummary[] {
    return this.registry.years();
  }

  /** One year's schedule, or undefined. */
  year(year: number): VnYearData | undefined {
    return this.registry.year(year);
  }

  /** An agency's own hours ({} when it keeps the legal ones). */
  agency(agency: string): AgencyCalendarOptions {
    return this.registry.agencyOptions()[agency] ?? {};
  }

  /** The recorded changes, newest first. */
  changes(limit?: number): Promise<CalendarChange[]> {
    return this.options.store.changes(limit);
  }

  /**
   * Replaces (or adds, right after the last) a year's schedule. Throws
   * InvalidInputError naming the field when the data is bad; nothing changes then.
   */
  async replaceYear(engine: Engine, year: number, data: unknown, actor?: string): Promise<CalendarChange> {
    const before = this.registry.year(year);
    const given = (data as { year?: unknown } | null)?.year;
    if (given !== year) throw new InvalidInputError(`the schedule's /year is ${JSON.stringify(given)}, but it is loaded as ${year}`, { field: 'body.year' });
    const replaced = invalidInput(() => this.registry.replaceYear(data, `year ${year}`));
    return this.store(engine, { kind: 'year', key: String(year), data: replaced, before, actor }, () => {
      if (before) this.registry.replaceYear(before, `year ${year}`);
    });
  }

  /** Replaces an agency's own hours (`{}`: the legal ones). Throws InvalidInputError naming the field. */
  async replaceAgency(engine: Engine, agency: string, options: unknown, actor?: string): Promise<CalendarChange> {
    const before = this.registry.agencyOptions()[agency];
    const replaced = invalidInput(() => this.registry.replaceAgency(agency, options));
    return this.store(engine, { kind: 'agency', key: agency, data: replaced, before, actor }, () => this.registry.replaceAgency(agency, before ?? {}));
  }

  private async store(engine: Engine, change: { kind: 'year' | 'agency'; key: string; data: unknown; before: unknown; actor?: string }, undo: () => void): Promise<CalendarChange> {
    try {
      const tasks = this.options.recomputeDueDates === false ? [] : await this.dueUpdates(engine);
      return await this.options.store.replace({ ...change, at: this.options.now() }, tasks);
    } catch (error) {
      undo();
      throw error;
    }
  }

  /** The open tasks due by their own statutory time, with due dates counted on the data now in force. */
  private async dueUpdates(engine: Engine): Promise<TaskDueUpdate[]> {
    const updates: TaskDueUpdate[] = [];
    const options = { calendars: this.registry.provider, taskWarning: this.options.taskWarning };
    for (const task of await this.options.store.openTasksForDueDates()) {
      const graph = await engine.graph(task.definitionId);
      const node = graph.nodes[task.elementId];
      if (!node || node.type !== 'userTask' || node.dueDate || !node.facts?.statutoryTime) continue;
      let dueAt: number | undefined;
      try {
        dueAt = statutoryDueAt(graph, node, options, task.createdAt);
      } catch {
        continue; // a due date the new data cannot count stays as it was
      }
      if (dueAt === undefined || dueAt === task.dueAt) continue;
      const followUpAt = node.followUpDate ? undefined : warningBefore(graph, node, options, task.createdAt, dueAt);
      updates.push({ taskId: task.id, dueAt, followUpAt, keepFollowUp: Boolean(node.followUpDate) });
    }
    return updates;
  }
}

function invalidInput<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ClockDataError) {
      const field = error.details.field ?? '';
      throw new InvalidInputError(error.message, { field: field.startsWith('/') ? `body${field.replace(/\//g, '.')}` : field === '(root)' || field === '' ? 'body' : `body.${field}` });
    }
    throw error;
  }
}
