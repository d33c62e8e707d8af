/**
 * Demo accounts for the embedded default, so that a fresh `motcua serve` can be tried
 * at once: one per role, two agencies to show that officials see only their own.
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
 * Every one has the password {@link DEMO_PASSWORD}. It is published here, so these
 * accounts exist only on the embedded database (a single-machine trial), never on a
 * PostgreSQL server: the caller decides, this module does not look.
 */
import type { UserStore } from '../../../engine/src/store/user-store';
import { ConflictError } from '../../../engine/src/errors';
import { addUser, type NewUserInput } from './auth-service';

/** The password of every demo account. Public: demo use only. */
export const DEMO_PASSWORD = 'motcua-demo';

/** The demo agencies: a department of province H29 and one of another province. */
export const DEMO_AGENCY = '000.00.15.H29';
export const DEMO_OTHER_AGENCY = '000.00.16.H30';

/** The demo accounts (without password). */
export const DEMO_USERS: readonly Omit<NewUserInput, 'password'>[] = Object.freeze([
  { username: 'analyst', name: 'Trần Minh Anh (phân tích quy trình)', roles: ['analyst'], groups: [] },
  { username: 'admin.h29', name: 'Lê Văn Bình (quản trị đơn vị)', roles: ['agency-admin'], agency: DEMO_AGENCY, groups: [] },
  { username: 'desk.h29', name: 'Nguyễn Thị Lan (bộ phận một cửa)', roles: ['official'], agency: DEMO_AGENCY, groups: ['desk'] },
  { username: 'head.h29', name: 'Phạm Quốc Hùng (lãnh đạo phòng)', roles: ['official'], agency: DEMO_AGENCY, groups: ['head'] },
  { username: 'official.h30', name: 'Hoàng Thu Hà (chuyên viên)', roles: ['official'], agency: DEMO_OTHER_AGENCY, groups: ['desk'] },
  { username: 'citizen', name: 'Đỗ Thị Mai (công dân)', roles: ['citizen'], groups: [] },
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
