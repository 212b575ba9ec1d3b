// The lab's Content-Security-Policy: one policy, written once, sent two ways.
//
// - As a <meta http-equiv> in the built index.html, so the policy travels with the static
//   build to wherever it is hosted. A meta policy cannot carry `frame-ancestors` (browsers
//   ignore it there) and does not reach the engine's Web Worker (a worker takes its policy
//   from its own response's headers).
// - As a response header from `vite preview` (what the browser tests and `npm start` serve),
//   with `frame-ancestors 'none'`, so the worker script runs under it too. A production host
//   sends the same header (see `cspHeader`).
//
// Decisions:
// - script-src 'self': no inline script, no eval. The build emits no inline script (checked
//   by e2e/security.spec.ts); zod runs jitless (src/engine/model/schema.ts), so nothing
//   compiles code at run time.
// - style-src-elem 'self' (style sheets from the build only) but style-src-attr
//   'unsafe-inline': React and @xyflow/react position nodes and edges with style="…"
//   attributes. Inline style attributes cannot run script; forbidding them would break the
//   canvas.
// - img-src also allows data: and blob: (SVG icons in CSS, canvas exports); connect-src is
//   'self' only: the lab never talks to another origin.

const directives: readonly (readonly [string, string])[] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src-elem', "'self'"],
  ['style-src-attr', "'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['worker-src', "'self'"],
  ['manifest-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
];

const render = (list: readonly (readonly [string, string])[]): string =>
  list.map(([name, value]) => `${name} ${value}`).join('; ');

/** The policy as a <meta> tag can carry it (no frame-ancestors). */
export const cspMeta = render(directives);

/** The policy as a response header: the same, and the page may not be framed. */
export const cspHeader = render([...directives, ['frame-ancestors', "'none'"]]);
