import { NextResponse, type NextRequest } from 'next/server';

/**
 * Malformed %-escapes in the path (`%c0%ae`, a lone `%`, an encoded lone surrogate) answer 400 JSON with a reason
 * before routing, whatever the route: decoding a dynamic segment must never become a 500 (issue 15).
 *
 * Runs for requests without a body, and for any request whose raw path holds a `%` (see `config`; matchers see the
 * raw path first): Next.js buffers the body of every request a proxy sees (10 MB at most), which would cut uploads
 * short, and no route of the app has a `%` in a path that takes a body. (Next.js 16 names this file proxy.ts; it was
 * middleware.ts before.)
 */
export function proxy(request: NextRequest): NextResponse {
  const raw = request.url.replace(/^[a-z]+:\/\/[^/]*/i, '').split(/[?#]/)[0];
  for (const segment of raw.split('/')) {
    try {
      decodeURIComponent(segment);
    } catch {
      return NextResponse.json(
        { error: { code: 'bad_path', message: `malformed %-escape in the path segment '${segment.slice(0, 100)}'` } },
        { status: 400 },
      );
    }
  }
  return NextResponse.next();
}

export const config = {
  matcher: [
    {
      source: '/((?!_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'content-length' },
        { type: 'header', key: 'transfer-encoding' },
      ],
    },
    // POST /api/datasets/%c0%ae/uploads would otherwise fail inside Next.js' own decoding with a bare 500.
    { source: '/:path(.*%.*)' },
  ],
};
