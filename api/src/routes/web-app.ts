/**
 * The browser apps at `/`: the static files `npm run build` writes to dist/modeler/
 * (modeler/build.mjs). Bundles carry a content hash in their names, so they are
 * cached for a year as immutable; index.html is revalidated on every load so a new
 * build is picked up at once. The security headers stay helmet's defaults, whose
 * CSP (`script-src 'self'`, inline styles allowed for bpmn-js's SVG) the apps meet.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import { InvalidInputError, NotFoundError } from '../../../engine/src/index';
import type { Config } from '../config';
import { TRACKING_PAGE_CSS, TRACKING_PAGE_JS, trackingPageHtml, trackingPageUrlOf } from './tracking-page';

/**
 * The public address of a dossier's tracking page, from the configured public address of the
 * server (MOTCUA_PUBLIC_URL; unset: http://localhost:<PORT>), never from a request's Host header.
 * With `secret`, the page reads it from the fragment (`#<secret>`), which no browser sends to a server.
 */
export function trackingPageUrl(config: Pick<Config, 'publicUrl' | 'port'>, code: string, secret?: string): string {
  return trackingPageUrlOf(config.publicUrl ?? `http://localhost:${config.port ?? 3000}`, code, secret);
}

const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8).toUpperCase();
/** The tracking page's script and style sheet, named by their content (cached as immutable). */
const TRACKING_ASSETS = { script: `/tracking-page/page-${hashOf(TRACKING_PAGE_JS)}.js`, style: `/tracking-page/page-${hashOf(TRACKING_PAGE_CSS)}.css` };
/** A dossier code as the tracking page accepts it (what dossier codes are made of). */
const TRACKING_CODE = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Where the built apps are: `dist/modeler` in the nearest folder up that has one, so
 * that both this source file (ts-jest) and its compiled copy under dist/ find the same
 * build (dist/ itself holds a package.json, so "the nearest package.json" would not do).
 * Not built yet: `dist/modeler` under the working folder, which `/` names in its 404.
 */
function builtAppsDir(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'dist', 'modeler');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.resolve('dist', 'modeler');
  }
}

/** Where the built apps are served from by default. */
export const DEFAULT_WEB_APP_DIR = builtAppsDir(__dirname);

const HASHED = /-[A-Z0-9]{8}\.(js|css|svg|woff2?|ttf|map)$/;

/** Options of the web app router. */
export interface WebAppOptions {
  /** Folder of the built apps (default: dist/modeler). */
  dir?: string;
}

/** The router serving the built apps; mount it after `/api`, before the 404 handler. */
export function createWebAppRouter(options: WebAppOptions = {}): Router {
  const dir = options.dir ?? DEFAULT_WEB_APP_DIR;
  const router = express.Router();
  const sendIndex: express.RequestHandler = (_req, res, next) => {
    const index = path.join(dir, 'index.html');
    if (!existsSync(index)) return next(new NotFoundError(`the web app is not built (no ${index}): run npm run build`));
    res.locals.route = '/';
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index, (error) => error && next(error));
  };
  router.get(['/', '/index.html'], sendIndex);
  // The public tracking page the receipts' QR codes lead to (no login; see ./tracking-page.ts).
  router.get('/tracking/:code', (req, res, next) => {
    const code = String(req.params.code);
    if (!TRACKING_CODE.test(code)) return next(new InvalidInputError(`'${code.slice(0, 100)}' is not a dossier code`, { field: 'params.code' }));
    res.locals.route = '/tracking/{code}';
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(trackingPageHtml(code, TRACKING_ASSETS));
  });
  for (const [file, type, body] of [
    [TRACKING_ASSETS.script, 'js', TRACKING_PAGE_JS],
    [TRACKING_ASSETS.style, 'css', TRACKING_PAGE_CSS],
  ] as const) {
    router.get(file, (_req, res) => {
      res.locals.route = '/tracking-page/{file}';
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.type(type).send(body);
    });
  }
  router.use(
    express.static(dir, {
      index: false,
      fallthrough: true,
      setHeaders: (res, file) => {
        // One metrics label for every file of the apps (never the raw URL).
        (res as unknown as express.Response).locals.route = '/{web-app file}';
        res.setHeader('Cache-Control', HASHED.test(path.basename(file)) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  return router;
}
