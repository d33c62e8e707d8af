/**
 * Demo accounts for the embedded default, so that a fresh `motcua serve` can be tried
 * at once: one per role, two agencies to show that officials see only their own, and
 * the officials of every agency and role that the procedure library's models use.
 *
 * | username       | role         | agency          | groups |
 * |----------------|--------------|-----------------|--------|
 * | `analyst`      | analyst      | –               | –      |
 * | `admin.h29`    | agency-admin | `000.00.15.H29` | –      |
 * | `desk.h29`     | official     | `000.00.15.H29` | desk   |
 * | `head.h29`     | official     | `000.00.15.H29` | head   |
 * | `official.h30` | official     | `000.00.16.H30` | desk   |
 * | `citizen`      | citizen      | –               | –      |
 *
 * Officials of the procedure library (processes/), one per agency and group its models use,
 * in the demo province H29 (demo identifiers, see processes/tools/agencies.ts):
 *
 * | username               | role         | agency          | groups     | who |
 * |------------------------|--------------|-----------------|------------|-----|
 * | `xa.admin`             | agency-admin | `000.01.00.H29` | –          | UBND xã Minh An, quản trị |
 * | `xa.motcua`            | official     | `000.01.00.H29` | desk       | UBND xã, Bộ phận Một cửa |
 * | `xa.hotich`            | official     | `000.01.00.H29` | specialist | UBND xã, công chức tư pháp – hộ tịch |
 * | `xa.diachinh`          | official     | `000.01.00.H29` | specialist | UBND xã, công chức địa chính – xây dựng |
 * | `xa.chutich`           | official     | `000.01.00.H29` | head       | Chủ tịch UBND xã |
 * | `caxa.motcua`          | official     | `000.02.00.H29` | desk       | Công an xã, tiếp nhận hồ sơ |
 * | `caxa.cutru`           | official     | `000.02.00.H29` | specialist | Công an xã, cán bộ đăng ký cư trú |
 * | `caxa.truong`          | official     | `000.02.00.H29` | head       | Trưởng Công an xã |
 * | `dkkd.motcua`          | official     | `000.00.17.H29` | desk       | Phòng Đăng ký kinh doanh, tiếp nhận |
 * | `dkkd.chuyenvien`      | official     | `000.00.17.H29` | specialist | Phòng Đăng ký kinh doanh, chuyên viên |
 * | `dkkd.truongphong`     | official     | `000.00.17.H29` | head       | Trưởng phòng Đăng ký kinh doanh |
 * | `vpdk.motcua`          | official     | `000.00.18.H29` | desk       | Văn phòng Đăng ký đất đai, tiếp nhận |
 * | `vpdk.chuyenvien`      | official     | `000.00.18.H29` | specialist | Văn phòng Đăng ký đất đai, chuyên viên |
 * | `vpdk.giamdoc`         | official     | `000.00.18.H29` | head       | Giám đốc Văn phòng Đăng ký đất đai |
 * | `thue.chuyenvien`      | official     | `000.00.19.H29` | specialist | Thuế tỉnh, công chức thuế |
 * | `thue.lanhdao`         | official     | `000.00.19.H29` | head       | Thuế tỉnh, lãnh đạo |
 * | `catinh.motcua`        | official     | `000.00.20.H29` | desk       | Công an tỉnh, tiếp nhận hồ sơ |
 * | `catinh.lltp`          | official     | `000.00.20.H29` | specialist | Công an tỉnh, cán bộ lý lịch tư pháp |
 * | `catinh.lanhdao`       | official     | `000.00.20.H29` | head       | Công an tỉnh, lãnh đạo phòng |
 * | `bhxh.chuyenvien`      | official     | `000.00.21.H29` | specialist | Bảo hiểm xã hội, chuyên viên |
 * | `bhxh.giamdoc`         | official     | `000.00.21.H29` | head       | Bảo hiểm xã hội, lãnh đạo |
 *
 * Every one has the password {@link DEMO_PASSWORD}. It is published here, so these
 * accounts exist only on the embedded database (a single-machine trial), never on a
 * PostgreSQL server: the caller decides, this module does not look.
 */
import type { UserStore } from '../store/user-store';
import { ConflictError } from '../../../engine/src/index';
import { addUser, type NewUserInput } from './auth-service';

/** The password of every demo account. Public: demo use only. */
export const DEMO_PASSWORD = 'motcua-demo';

/** The demo agencies: a department of province H29 and one of another province. */
export const DEMO_AGENCY = '000.00.15.H29';
export const DEMO_OTHER_AGENCY = '000.00.16.H30';

/** The demo agencies of the procedure library (processes/tools/agencies.ts): demo identifiers, not official codes. */
export const LIBRARY_AGENCIES = Object.freeze({
  communePc: '000.01.00.H29',
  communePolice: '000.02.00.H29',
  businessRegistration: '000.00.17.H29',
  landRegistration: '000.00.18.H29',
  tax: '000.00.19.H29',
  provincialPolice: '000.00.20.H29',
  socialInsurance: '000.00.21.H29',
});

function official(username: string, name: string, agency: string, group: string): Omit<NewUserInput, 'password'> {
  return { username, name, roles: ['official'], agency, groups: [group] };
}

const L = LIBRARY_AGENCIES;

/** The officials of the procedure library, one per agency and group its models use. */
export const LIBRARY_OFFICIALS: readonly Omit<NewUserInput, 'password'>[] = Object.freeze([
  { username: 'xa.admin', name: 'Vũ Đức Thắng (quản trị, UBND xã Minh An)', roles: ['agency-admin'], agency: L.communePc, groups: [] },
  official('xa.motcua', 'Nguyễn Thị Hồng (Bộ phận Một cửa, UBND xã Minh An)', L.communePc, 'desk'),
  official('xa.hotich', 'Lê Thị Thu Trang (công chức tư pháp – hộ tịch, UBND xã Minh An)', L.communePc, 'specialist'),
  official('xa.diachinh', 'Bùi Văn Khánh (công chức địa chính – xây dựng, UBND xã Minh An)', L.communePc, 'specialist'),
  official('xa.chutich', 'Trần Quang Vinh (Chủ tịch UBND xã Minh An)', L.communePc, 'head'),
  official('caxa.motcua', 'Đặng Thị Ngọc (tiếp nhận hồ sơ, Công an xã Minh An)', L.communePolice, 'desk'),
  official('caxa.cutru', 'Phan Văn Tuấn (cán bộ đăng ký cư trú, Công an xã Minh An)', L.communePolice, 'specialist'),
  official('caxa.truong', 'Ngô Minh Đức (Trưởng Công an xã Minh An)', L.communePolice, 'head'),
  official('dkkd.motcua', 'Hà Thị Thanh (tiếp nhận, Phòng Đăng ký kinh doanh)', L.businessRegistration, 'desk'),
  official('dkkd.chuyenvien', 'Đinh Công Sơn (chuyên viên, Phòng Đăng ký kinh doanh)', L.businessRegistration, 'specialist'),
  official('dkkd.truongphong', 'Lý Thị Phương (Trưởng phòng Đăng ký kinh doanh)', L.businessRegistration, 'head'),
  official('vpdk.motcua', 'Tạ Thị Yến (tiếp nhận, Văn phòng Đăng ký đất đai)', L.landRegistration, 'desk'),
  official('vpdk.chuyenvien', 'Cao Văn Lực (chuyên viên, Văn phòng Đăng ký đất đai)', L.landRegistration, 'specialist'),
  official('vpdk.giamdoc', 'Mai Xuân Trường (Giám đốc Văn phòng Đăng ký đất đai)', L.landRegistration, 'head'),
  official('thue.chuyenvien', 'Kiều Thị Nga (công chức, Thuế tỉnh)', L.tax, 'specialist'),
  official('thue.lanhdao', 'Lương Văn Hải (lãnh đạo, Thuế tỉnh)', L.tax, 'head'),
  official('catinh.motcua', 'Vương Thị Loan (tiếp nhận hồ sơ, Công an tỉnh)', L.provincialPolice, 'desk'),
  official('catinh.lltp', 'Chu Văn Nam (cán bộ lý lịch tư pháp, Công an tỉnh)', L.provincialPolice, 'specialist'),
  official('catinh.lanhdao', 'Tôn Thất Bảo (lãnh đạo phòng, Công an tỉnh)', L.provincialPolice, 'head'),
  official('bhxh.chuyenvien', 'Dương Thị Hạnh (chuyên viên, Bảo hiểm xã hội tỉnh)', L.socialInsurance, 'specialist'),
  official('bhxh.giamdoc', 'Quách Văn Toàn (lãnh đạo, Bảo hiểm xã hội tỉnh)', L.socialInsurance, 'head'),
]);

/** The demo accounts (without password). */
export const DEMO_USERS: readonly Omit<NewUserInput, 'password'>[] = Object.freeze([
  { username: 'analyst', name: 'Trần Minh Anh (phân tích quy trình)', roles: ['analyst'], groups: [] },
  { username: 'admin.h29', name: 'Lê Văn Bình (quản trị đơn vị)', roles: ['agency-admin'], agency: DEMO_AGENCY, groups: [] },
  { username: 'desk.h29', name: 'Nguyễn Thị Lan (bộ phận một cửa)', roles: ['official'], agency: DEMO_AGENCY, groups: ['desk'] },
  { username: 'head.h29', name: 'Phạm Quốc Hùng (lãnh đạo phòng)', roles: ['official'], agency: DEMO_AGENCY, groups: ['head'] },
  { username: 'official.h30', name: 'Hoàng Thu Hà (chuyên viên)', roles: ['official'], agency: DEMO_OTHER_AGENCY, groups: ['desk'] },
  { username: 'citizen', name: 'Đỗ Thị Mai (công dân)', roles: ['citizen'], groups: [] },
  ...LIBRARY_OFFICIALS,
]);

/**
 * Creates the demo accounts that do not exist yet (by username; existing ones, even
 * changed or disabled, are left alone) and resolves to the usernames it created.
 */
export async function ensureDemoUsers(users: UserStore, options: { password?: string } = {}): Promise<string[]> {
  const created: string[] = [];
  for (const demo of DEMO_USERS) {
    if (await users.byUsername(demo.username)) continue;
    try {
      await addUser(users, { ...demo, roles: [...demo.roles], groups: [...(demo.groups ?? [])], password: options.password ?? DEMO_PASSWORD });
      created.push(demo.username);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error; // created meanwhile by another caller
    }
  }
  return created;
}
