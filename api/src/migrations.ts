/**
 * Every layer's migration folder, for the composition roots (server, CLI, test set-up): the
 * engine cannot know the layers above it, so they are listed here, and `migrate` applies them
 * in one order by name.
 */
import { ENGINE_MIGRATIONS } from '../../engine/src/store-sequelize/migrate';
import { ONESTOP_MIGRATIONS } from '../../onestop/src/store-sequelize/migrations-folder';
import { API_MIGRATIONS } from './store-sequelize/migrations-folder';

export const MIGRATION_FOLDERS: readonly string[] = [ENGINE_MIGRATIONS, ONESTOP_MIGRATIONS, API_MIGRATIONS];
