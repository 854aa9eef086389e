// The web console: three static files (apps/gateway/public) read once at startup and served with a
// strict Content-Security-Policy. The page holds no data; it calls the same API with the user's key.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Express } from 'express';

// Two levels up from src/routes or dist/routes is the app folder.
const PUBLIC_DIR = path.resolve(__dirname, '../../public');

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

export function consoleRoutes(app: Express, publicDir = PUBLIC_DIR): void {
  for (const { route, file, type } of FILES) {
    const body = readFileSync(path.join(publicDir, file));
    app.get(route, (_req, res) => {
      res.set({ ...SECURITY_HEADERS, 'content-type': type }).send(body);
    });
  }
  app.get(['/', '/console'], (_req, res) => res.redirect(302, '/console/'));
}
