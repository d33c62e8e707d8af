/**
 * The agencies of the library's demo province H29 and the lanes they give the models.
 *
 * Why demo identifiers: the electronic agency identifiers of Decision 20/2020/QĐ-TTg
 * (amended by 09/2025/QĐ-TTg) have four groups `A1.A2.A3.A4`; after the two-tier reform
 * of 01/07/2025 the new commune codes of each province were not found. These identifiers
 * follow the pattern only, are marked `demo` in every procedure.json, and are the agencies
 * of the demo officials (api/src/auth/demo-users.ts). A real deployment replaces them.
 */
import type { LaneSpec, NodeSpec, ProcessSpec, TimeUnit } from './spec';
import { flow } from './one-stop';

/** Demo agency identifiers (not official codes). */
export const AGENCY = {
  /** UBND xã Minh An: commune People's Committee (civil status, construction, land confirmation). */
  communePc: '000.01.00.H29',
  /** Công an xã Minh An: commune police (residence). */
  communePolice: '000.02.00.H29',
  /** Phòng Đăng ký kinh doanh, Sở Tài chính: provincial business registration office. */
  businessRegistration: '000.00.17.H29',
  /** Văn phòng Đăng ký đất đai, Sở Nông nghiệp và Môi trường: land registration office. */
  landRegistration: '000.00.18.H29',
  /** Thuế tỉnh: provincial tax authority. */
  tax: '000.00.19.H29',
  /** Công an tỉnh: provincial police (judicial records from 01/07/2026). */
  provincialPolice: '000.00.20.H29',
  /** Bảo hiểm xã hội tỉnh: social insurance (health-insurance cards, survivor allowances). */
  socialInsurance: '000.00.21.H29',
} as const;

/** A lane for an agency and a role. */
export function lane(id: string, name: string): LaneSpec {
  return { id, name };
}

/**
 * The applicant's lane of an as-is model (who carries the papers between agencies);
 * {@link asIsProcess} gives it an id of its own in each pool.
 */
export const APPLICANT_LANE = lane('applicant', 'Người nộp hồ sơ');

/** One step of an as-is model: lane, name, agency, statutory share. */
export interface AsIsStep {
  id: string;
  lane: string;
  name: string;
  agency?: string;
  share?: number;
  unit?: TimeUnit;
  documents?: string[];
}

/** A non-executable as-is process: start → the steps in order → end (the paper procedure, one hand-off after another). */
export function asIsProcess(options: {
  id: string;
  name: string;
  participantName: string;
  agency: string;
  statutoryTime: number;
  timeUnit: TimeUnit;
  lanes: LaneSpec[];
  steps: AsIsStep[];
  startName?: string;
  endName?: string;
}): ProcessSpec {
  // lane ids are document-wide: the applicant's lane of each pool gets the pool's prefix
  const laneId = (id: string): string => (id === APPLICANT_LANE.id ? `${options.id}-${id}` : id);
  const start: NodeSpec = { id: `${options.id}-start`, kind: 'startEvent', name: options.startName ?? 'Cần làm thủ tục', lane: laneId(options.steps[0].lane) };
  const end: NodeSpec = { id: `${options.id}-end`, kind: 'endEvent', name: options.endName ?? 'Nhận kết quả', lane: laneId(options.steps[options.steps.length - 1].lane) };
  const steps: NodeSpec[] = options.steps.map((s) => ({
    id: s.id,
    kind: s.lane === APPLICANT_LANE.id ? 'manualTask' : 'task',
    name: s.name,
    lane: laneId(s.lane),
    facts: s.agency ? { agency: s.agency, statutoryTime: s.share, timeUnit: s.share !== undefined ? s.unit : undefined, documents: s.documents } : undefined,
  }));
  const nodes = [start, ...steps, end];
  return {
    id: options.id,
    name: options.name,
    participantName: options.participantName,
    executable: false,
    facts: { agency: options.agency, statutoryTime: options.statutoryTime, timeUnit: options.timeUnit },
    lanes: options.lanes.map((l) => ({ ...l, id: laneId(l.id) })),
    nodes,
    flows: nodes.slice(1).map((n, i) => flow(nodes[i].id, n.id)),
  };
}
