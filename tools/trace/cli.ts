import { DEFAULT_ZIPKIN_URL } from '../../shared/telemetry/telemetry-config.js';
import { formatTrace, tracesOfOrder, traceTree } from './zipkin-trace.js';

/**
 * `npm run trace -- <order id>`: prints the trace of an order from Zipkin as an indented tree
 * (which component did what, when, for how long, and where it failed or was retried), and
 * the link that opens it in Zipkin's UI. ZIPKIN_URL names another Zipkin.
 */
async function main(orderId: string | undefined): Promise<number> {
  if (!orderId || !/^[A-Za-z0-9-]{1,100}$/.test(orderId)) {
    process.stderr.write('usage: npm run trace -- <order id>\n');
    return 2;
  }
  const zipkin = (
    process.env.ZIPKIN_URL ?? DEFAULT_ZIPKIN_URL.replace(/\/api\/v2\/spans$/, '')
  ).replace(/\/+$/, '');
  let traces: Awaited<ReturnType<typeof tracesOfOrder>>;
  try {
    traces = await tracesOfOrder(zipkin, orderId);
  } catch (err) {
    process.stderr.write(
      `cannot read traces from ${zipkin} (${err instanceof Error ? err.message : String(err)}); start the platform with ORDERLY_TRACING=zipkin npm start, or set ZIPKIN_URL\n`,
    );
    return 1;
  }
  if (traces.length === 0) {
    process.stderr.write(
      `no trace names order ${orderId} in ${zipkin} (was tracing on when it was placed?)\n`,
    );
    return 1;
  }
  for (const spans of traces) {
    const traceId = spans[0]?.traceId ?? '';
    process.stdout.write(
      `trace ${traceId}: ${spans.length} spans\n${zipkin}/zipkin/traces/${traceId}\n\n${formatTrace(traceTree(spans))}\n\n`,
    );
  }
  return 0;
}

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
