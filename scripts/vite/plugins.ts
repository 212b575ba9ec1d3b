// Build-time plugins: the CSP meta tag and the service worker generated for this build.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import { cspHeader, cspMeta } from './csp.ts';

/** The CSP as a <meta> tag in the built index.html, and as a header from `vite preview`. */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'hnv:csp',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        // The dev server injects inline scripts (React refresh): the policy is for builds.
        if (ctx.server) return html;
        // Right after <meta charset>, before any script or style sheet it governs.
        const charset = /<meta charset="[^"]*"\s*\/?>/i;
        if (!charset.test(html)) throw new Error('index.html: no <meta charset> to put the CSP after');
        const meta = `<meta http-equiv="Content-Security-Policy" content="${cspMeta.replaceAll('"', '&quot;')}" />`;
        return html.replace(charset, (m) => `${m}\n    ${meta}`);
      },
    },
    configurePreviewServer(server) {
      server.middlewares.use((_req, res, next) => {
        res.setHeader('Content-Security-Policy', cspHeader);
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Referrer-Policy', 'no-referrer');
        next();
      });
    },
  };
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/**
 * Emits sw.js for this build: the template in scripts/vite/sw.template.js with the build's
 * id and the exact list of files to precache (the page, every emitted chunk and style sheet,
 * the public files). The worker caches those and nothing else.
 */
export function serviceWorker(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'hnv:service-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(resolved) {
      config = resolved;
    },
    generateBundle(_options, bundle) {
      if (config.build.ssr) return;
      const hash = createHash('sha256');
      const files = new Set<string>();
      for (const [fileName, output] of Object.entries(bundle)) {
        if (fileName.endsWith('.map')) continue;
        files.add(fileName);
        hash.update(fileName);
        hash.update(output.type === 'chunk' ? output.code : output.source);
      }
      if (config.publicDir) {
        for (const fileName of filesUnder(config.publicDir)) {
          files.add(fileName);
          hash.update(fileName);
          hash.update(readFileSync(join(config.publicDir, fileName)));
        }
      }
      const shell = [...files].sort().map((f) => (f === 'index.html' ? './' : f));
      const template = readFileSync(new URL('./sw.template.js', import.meta.url), 'utf8');
      const source = template
        .replace('__BUILD_ID__', JSON.stringify(hash.digest('hex').slice(0, 16)))
        .replace('__PRECACHE__', JSON.stringify(shell));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
