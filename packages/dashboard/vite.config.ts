import { defineConfig, type Plugin } from 'vite';

const BROWSER_EXTERNAL = '__vite-browser-external';

/**
 * `@countersign/core`'s index also exports its node-only HTTP client; the dashboard uses only the
 * protocol types and errors, and tree-shaking drops the rest. Vite still notes each node built-in
 * it resolved on the way, so those notes are silenced here, and this plugin fails the build if a
 * node built-in ever survives into the bundle.
 */
function refuseNodeBuiltins(): Plugin {
  return {
    name: 'countersign-refuse-node-builtins',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const leaked = chunk.moduleIds.filter((id) => id.includes(BROWSER_EXTERNAL));
        if (leaked.length > 0) {
          this.error(`Node-only modules reached the dashboard bundle: ${leaked.join(', ')}`);
        }
      }
    },
  };
}

// Preact's automatic JSX runtime through Vite's built-in oxc transform: no plugin needed.
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [refuseNodeBuiltins()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      onLog(level, log, handler) {
        if (log.message.includes('externalized for browser compatibility')) return;
        handler(level, log);
      },
    },
  },
});
