import { NextResponse, type NextRequest } from 'next/server';

/**
 * Malformed %-escapes in the path (`%c0%ae`, a lone `%`, an encoded lone surrogate) answer 400 JSON with a reason
 * before routing, whatever the route: decoding a dynamic segment must never become a 500 (issue 15).
 *
 * Runs only for requests without a body (see `config`): Next.js buffers the body of every request a proxy sees, which
 * would cut uploads short. (Next.js 16 names this file proxy.ts; it was middleware.ts before.)
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
  ],
};
