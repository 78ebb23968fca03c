export { contextFromTraceparent, isTraceparent, traceparentOf } from './traceparent.js';
