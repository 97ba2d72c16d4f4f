/** A source map (v3) as esbuild writes it: enough to point a bundled position back to its source. */
export interface SourceMapV3 {
  version: number;
  sources: string[];
  mappings: string;
  sourceRoot?: string;
}

/** A position in an original source file, 1-based. */
export interface OriginalPosition {
  source: string;
  line: number;
  column: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decode one segment's base64 VLQ numbers. */
function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`invalid source map character ${char}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/**
 * Map positions of a bundle back to its sources.
 *
 * @example
 * const map = createSourceMapper(JSON.parse(mapText));
 * map(12, 5); // { source: 'resolvers/Query.getReservation.ts', line: 8, column: 3 }
 */
export function createSourceMapper(
  map: SourceMapV3,
  resolveSource: (source: string) => string = (s) => s,
): (line: number, column: number) => OriginalPosition | undefined {
  // Per generated line: segments [generatedColumn, sourceIndex, sourceLine, sourceColumn], 0-based.
  const lines: number[][][] = [];
  let sourceIndex = 0;
  let sourceLine = 0;
  let sourceColumn = 0;
  for (const lineText of map.mappings.split(';')) {
    const segments: number[][] = [];
    let generatedColumn = 0;
    for (const segmentText of lineText.split(',')) {
      if (segmentText === '') continue;
      const [column = 0, source, origLine, origColumn] = decodeVlq(segmentText);
      generatedColumn += column;
      if (source === undefined || origLine === undefined || origColumn === undefined) continue;
      sourceIndex += source;
      sourceLine += origLine;
      sourceColumn += origColumn;
      segments.push([generatedColumn, sourceIndex, sourceLine, sourceColumn]);
    }
    lines.push(segments);
  }
  return (line, column) => {
    const segments = lines[line - 1];
    if (!segments || segments.length === 0) return undefined;
    let best: number[] | undefined;
    for (const segment of segments) {
      if ((segment[0] as number) <= column - 1) best = segment;
      else break;
    }
    best ??= segments[0];
    if (!best) return undefined;
    const source = map.sources[best[1] as number];
    if (source === undefined) return undefined;
    return { source: resolveSource(source), line: (best[2] as number) + 1, column: (best[3] as number) + 1 };
  };
}
