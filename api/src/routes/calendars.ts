/** `/api/calendars`: the working calendars' years and agency hours, read and replaced by agency admins. */
import type { Router } from 'express';
import { type CalendarChange, InvariantError, NotFoundError } from '../../../engine/src/index';
import { ForbiddenError } from '../auth/errors';
import type { Principal } from '../auth/principal';
import type { CalendarService } from '../calendars/calendar-service';
import * as schemas from '../schemas/calendars';
import type { ApiServices } from '../server';
import { iso, mount } from '../validation';

const reads = (p: Principal): boolean => p.roles.includes('analyst') || p.roles.includes('agency-admin');
const writes = (p: Principal): boolean => p.roles.includes('agency-admin');

function changeView(c: CalendarChange) {
  return { id: c.id, at: iso(c.at), actor: c.actor, kind: c.kind, key: c.key, recomputedTasks: c.recomputedTasks };
}

export function createCalendarRoutes(router: Router, services: ApiServices): void {
  const { ctx } = services;
  const calendars = (): CalendarService => {
    if (!ctx.calendars) throw new InvariantError('this server has no calendar service');
    return ctx.calendars;
  };

  mount(router, schemas.listCalendarYears, services.mount, async () => ({ status: 200, body: { items: calendars().years() } }), { allow: reads });

  mount<{ year: string }>(
    router,
    schemas.getCalendarYear,
    services.mount,
    async ({ params }) => {
      const year = calendars().year(Number(params.year));
      if (!year) throw new NotFoundError(`the calendar has no year ${params.year}`, { field: 'params.year' });
      return { status: 200, body: year };
    },
    { allow: reads },
  );

  mount<{ year: string }, Record<string, never>, unknown>(
    router,
    schemas.replaceCalendarYear,
    services.mount,
    async ({ params, body, principal }) => ({ status: 200, body: changeView(await calendars().replaceYear(ctx.engine, Number(params.year), body, principal!.id)) }),
    { allow: writes },
  );

  mount<{ agency: string }>(router, schemas.getAgencyCalendar, services.mount, async ({ params }) => ({ status: 200, body: calendars().agency(params.agency) }), { allow: reads });

  mount<{ agency: string }, Record<string, never>, unknown>(
    router,
    schemas.replaceAgencyCalendar,
    services.mount,
    async ({ params, body, principal }) => {
      if (principal!.agency !== params.agency) throw new ForbiddenError(`the hours of agency '${params.agency}' are not this user's to change`);
      return { status: 200, body: changeView(await calendars().replaceAgency(ctx.engine, params.agency, body, principal!.id)) };
    },
    { allow: writes },
  );

  mount<Record<string, string>, { limit: number }>(
    router,
    schemas.listCalendarChanges,
    services.mount,
    async ({ query }) => ({ status: 200, body: { items: (await calendars().changes(query.limit)).map(changeView) } }),
    { allow: reads },
  );
}
