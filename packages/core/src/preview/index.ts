export { jsonValue } from './json-value.js';
export { type PreviewCall, type ResolvePreviewOptions, resolvePreview } from './resolve-preview.js';
export { standingPreview } from './standing-preview.js';
