/**
 * Every procedure of the library, in the order of shared/DOMAIN.md's table.
 */
import { birthGroup } from './models/birth-group-63-301';
import { birthRegistration } from './models/birth-registration';
import { businessRegistration } from './models/business-registration';
import { constructionPermitHouse } from './models/construction-permit-house';
import { deathGroup } from './models/death-group-63-301';
import { judicialRecord } from './models/judicial-record';
import { landUseCertificateFirst } from './models/land-use-certificate-first';
import type { ProcedureModels } from './models/model';
import { permanentResidence } from './models/permanent-residence';

/** The procedures the generator writes under processes/, each in processes/<code>/. */
export const LIBRARY: readonly ProcedureModels[] = [
  birthRegistration,
  birthGroup,
  deathGroup,
  businessRegistration,
  constructionPermitHouse,
  judicialRecord,
  permanentResidence,
  landUseCertificateFirst,
];
