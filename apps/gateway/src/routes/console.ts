// The web console: a Preact single-page application bundled by console/build.ts into dist/console
// (index.html, app.js, app.css), read once at startup and served with a strict Content-Security-Policy
// (no inline script or style, nothing from another origin). The page holds no data; it calls the same
// API with the user's credential. Without a build (tests of other routes, `tsc` only) the console
// paths answer 503 saying how to build it, and the rest of the gateway is unaffected.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Express, type Response } from 'express';

/** From src/routes or dist/routes, the build output is apps/gateway/dist/console. */
export const CONSOLE_DIR = path.resolve(__dirname, '../../dist/console');

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const FILES = [
  { route: '/console/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { route: '/console/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { route: '/console/app.css', file: 'app.css', type: 'text/css; charset=utf-8' },
];

const notBuilt = (res: Response) =>
  res
    .status(503)
    .set({ ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' })
    .send('The console is not built: run `make build` (or `npx nx run @foxhound/gateway:build`).\n');

export function consoleRoutes(app: Express, consoleDir = CONSOLE_DIR): void {
  const built = FILES.every(({ file }) => existsSync(path.join(consoleDir, file)));
  for (const { route, file, type } of FILES) {
    const body = built ? readFileSync(path.join(consoleDir, file)) : undefined;
    app.get(route, (_req, res) => {
      if (!body) return void notBuilt(res);
      res.set({ ...SECURITY_HEADERS, 'content-type': type }).send(body);
    });
  }
  app.get(['/', '/console'], (_req, res) => res.redirect(302, '/console/'));
}
