import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

/** Finds the 1-based line of the node at `path` (or of its key, for map members). */
export type Locator = (path: readonly PropertyKey[]) => number | undefined;

/**
 * A locator over a parsed YAML (or JSON) document. For a path that does not exist (an unknown
 * key's parent, a missing field), it falls back to the deepest node that does.
 */
export function yamlLocator(document: Document, lineCounter: LineCounter): Locator {
  return (path) => {
    let node: unknown = document.contents;
    let offset = rangeStart(node);
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && item.key.value === segment);
        if (!pair) break;
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        offset = rangeStart(item) ?? offset;
        node = item;
      } else {
        break;
      }
    }
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
