// @ts-check

const dev = process.env.NODE_ENV !== 'production';

/**
 * Content-Security-Policy for the app: scripts only from the app itself ('unsafe-inline' for Next.js' inline
 * bootstrap scripts, which carry no nonce; 'wasm-unsafe-eval' so tfjs can compile its wasm backend; dev adds
 * 'unsafe-eval' for React's debugging), workers from the app or blob: URLs (tfjs, the isosurface worker), images and
 * fonts from the app, data: and blob: (PNG EPDIs, canvases), no plugins, no framing.
 */
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'${dev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  `connect-src 'self' blob: data:${dev ? ' ws: wss:' : ''}`,
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sent with every response (pages, API routes, static files). */
const securityHeaders = [
  { key: 'Content-Security-Policy', value: csp },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and wasm-heavy packages stay outside the server bundle.
  serverExternalPackages: [
    'better-sqlite3',
    '@prisma/adapter-better-sqlite3',
    '@tensorflow/tfjs',
    '@tensorflow/tfjs-backend-wasm',
  ],
  poweredByHeader: false,
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

module.exports = nextConfig;
