/** A span as Zipkin's API v2 returns it. */
export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  timestamp?: number;
  duration?: number;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

export interface SpanNode {
  span: ZipkinSpan;
  children: SpanNode[];
}

/** The traces Zipkin holds whose spans name the order (`order.id=<id>`), newest first. */
export async function tracesOfOrder(
  zipkinUrl: string,
  orderId: string,
  lookbackMs = 7 * 24 * 3600_000,
): Promise<ZipkinSpan[][]> {
  const query = new URLSearchParams({
    annotationQuery: `order.id=${orderId}`,
    lookback: String(lookbackMs),
    endTs: String(Date.now()),
    limit: '10',
  });
  const response = await fetch(`${zipkinUrl.replace(/\/+$/, '')}/api/v2/traces?${query}`, {
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`Zipkin answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as ZipkinSpan[][];
}

/**
 * A trace as trees, children in start order. A span whose parent is not in the trace is a
 * root: a whole trace has exactly one.
 */
export function traceTree(spans: readonly ZipkinSpan[]): SpanNode[] {
  const nodes = new Map<string, SpanNode>();
  for (const span of spans) nodes.set(span.id, { span, children: [] });
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentId ? nodes.get(node.span.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const byStart = (a: SpanNode, b: SpanNode) => (a.span.timestamp ?? 0) - (b.span.timestamp ?? 0);
  for (const node of nodes.values()) node.children.sort(byStart);
  return roots.sort(byStart);
}

/** One line per span, indented by depth: when it started after the root, service, name, duration. */
export function formatTrace(roots: readonly SpanNode[]): string {
  const start = Math.min(...roots.map((root) => root.span.timestamp ?? 0));
  const lines: string[] = [];
  const walk = (node: SpanNode, depth: number) => {
    const { span } = node;
    const at = (((span.timestamp ?? start) - start) / 1000).toFixed(1).padStart(8);
    const took = ((span.duration ?? 0) / 1000).toFixed(1);
    const service = (span.localEndpoint?.serviceName ?? '?').replace(/^orderly-/, '');
    const notes = [
      span.tags?.error !== undefined ? `ERROR ${span.tags.error}` : '',
      span.tags?.['messaging.delivery.attempt'] && span.tags['messaging.delivery.attempt'] !== '1'
        ? `attempt ${span.tags['messaging.delivery.attempt']}`
        : '',
    ].filter(Boolean);
    lines.push(
      `${at} ms  ${'  '.repeat(depth)}${service}: ${span.name ?? ''} (${took} ms)${notes.length ? `  [${notes.join(', ')}]` : ''}`,
    );
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return lines.join('\n');
}
