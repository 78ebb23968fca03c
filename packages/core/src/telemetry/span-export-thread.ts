// The span export thread's entry. From dist it only loads the export loop. From source (the
// tests), Node strips the types of this file but resolves `./x.js` literally, so a resolve hook
// first maps our `.js` imports to the `.ts` files beside them. (A namespace import: Node before
// 22.15 has no `registerHooks`, and from dist none is needed.)
import * as nodeModule from 'node:module';

if (import.meta.url.endsWith('.ts')) {
  nodeModule.registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier.startsWith('./') && specifier.endsWith('.js')) {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      }
      return nextResolve(specifier, context);
    },
  });
}
await import('./span-export-loop.js');
