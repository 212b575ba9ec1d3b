import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { contentSecurityPolicy, serviceWorker } from './scripts/vite/plugins.ts';

export default defineConfig({
  plugins: [react(), tailwindcss(), contentSecurityPolicy(), serviceWorker()],
  worker: { format: 'es' },
  // No module-preload polyfill: every browser the lab supports preloads modules natively,
  // and the polyfill is code the strict CSP would have to allow.
  build: { target: 'es2022', sourcemap: true, modulePreload: { polyfill: false } },
  preview: { host: '127.0.0.1' },
  server: { host: '127.0.0.1' },
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
