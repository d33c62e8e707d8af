/**
 * Legal clocks over the Vietnamese public-sector calendar: the yearly data
 * (data/vn-YYYY.json, official or provisional), the legal settings with their
 * effective dates (data/legal-settings.json), lunar dates from a library, a
 * generator of provisional years, and the CalendarDefinition of an agency that
 * the engine's working-time arithmetic runs on.
 *
 * Imports the engine through engine/src/calendar/index.ts until engine/src/index.ts
 * (the engine's public surface) exists.
 */
export { agencyCalendarDefinition, agencyWorkingCalendar, type AgencyCalendarOptions } from './agency-calendar';
export { vietnameseCalendars, type VietnameseCalendarsOptions } from './calendar-provider';
export { CalendarRegistry, type YearSummary } from './calendar-registry';
export { ClockDataError } from './errors';
export { holidayRule, settingsInForce, type HolidayDateRule, type HolidayRule, type LegalSettings, type LegalSettingsVersion } from './legal-settings';
export { bundledLegalSettings, bundledYears, readYearFile, withProvisionalYears } from './load';
export { lunarNewYear, vietnameseLunarDate } from './lunar';
export { placeSecondNationalDay, placeTet, provisionalYear } from './provisional-year';
export { validateLegalSettings, validateYearData, weekdayOf } from './validate';
export type { AnnouncingDocument, BilingualName, BreakEntry, DayOffEntry, HolidayEntry, HolidayKey, UnconfirmedEntry, VnYearData, WorkingDayEntry } from './year-data';
