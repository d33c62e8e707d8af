/**
 * A catalogue procedure's facts in words, for the portal and the desk: its name, competent
 * agency, statutory time and fee, in the current language.
 */
import { currentLocale, isMessageKey, t } from './i18n';
import type { PortalProcedure } from './portal-api';

/** A name the catalogue gives in Vietnamese and (perhaps) English, in the current language. */
export const localized = (name: { vi: string; en?: string }): string => (currentLocale() === 'en' ? name.en : undefined) ?? name.vi;

export const procedureName = (p: PortalProcedure): string => localized(p.document.name);

export function statutoryTimeText(p: PortalProcedure): string {
  const time = p.document.statutoryTime;
  if (!time) return '—';
  const unit = `walk.unit.${time.unit}`;
  return `${time.amount} ${isMessageKey(unit) ? t(unit) : time.unit}${time.sameDay ? ` (${t('portal.sameDay')})` : ''}`;
}

/** The fee; `online`: the online amount when the procedure has one. */
export function feeText(p: PortalProcedure, online = false): string {
  const fee = p.document.fee;
  const amount = (online ? fee?.onlineAmount : undefined) ?? fee?.amount ?? 0;
  return amount === 0 ? t('portal.free') : `${new Intl.NumberFormat('vi-VN').format(amount)} ${fee?.currency ?? 'VND'}`;
}

export function agencyName(p: PortalProcedure): string {
  const id = p.document.competentAgency.agency;
  const agency = p.document.agencies?.find((a) => a.id === id);
  return agency ? localized({ vi: agency.name, en: agency.nameEn }) : id;
}

/** A document's name in the current language. */
export const documentName = (d: PortalProcedure['document']['documents'][number]): string => localized({ vi: d.name, en: d.nameEn });
