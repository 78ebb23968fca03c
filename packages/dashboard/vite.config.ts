import { defineConfig } from 'vite';

// Preact's automatic JSX runtime through Vite's built-in oxc transform: no plugin needed. The
// dashboard imports `@countersign/core/protocol`, which loads no Node built-in, so nothing needs
// shimming; src/browser-safe-protocol.test.ts keeps it that way.
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
});
