import * as path from 'node:path';

/** The API's migrations (its own tables), applied with the others; numbered in the project's one sequence. */
export const API_MIGRATIONS = path.join(__dirname, 'migrations');
