import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { infraDown, infraUp } from '../localstack/infra/infra.js';
import { REPO_ROOT } from '../localstack/infra/paths.js';
import { createToolLogger } from '../localstack/tool-logger.js';
import { benchInventory, type InventoryBenchResult } from './inventory/reserve-bench.js';

/**
 * `npm run bench`: brings up the infrastructure, runs the benchmarks and writes their results
 * to bench/results/ (JSON for tools, Markdown for people). Figures are ratios against a
 * baseline measured in the same run, because absolute rates vary from machine to machine.
 */
const logger = createToolLogger('bench');
const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');

function markdown(result: InventoryBenchResult, servers: string[]): string {
  const row = (name: string, r: InventoryBenchResult['reserveSpread']) =>
    `| ${name} | ${r.ratePerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} |`;
  return [
    '# Inventory benchmark',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; ${result.settings.calls} calls per case, ${result.settings.concurrency} in flight, ${result.settings.skus} SKUs for the spread case.`,
    `Servers: ${servers.join('; ')}.`,
    '',
    '| case | calls/s | p50 ms | p99 ms | errors |',
    '| --- | ---: | ---: | ---: | ---: |',
    row('Reserve over gRPC, spread', result.reserveSpread),
    row('bare findOneAndUpdate, spread', result.bareUpdateSpread),
    row('Reserve over gRPC, one hot SKU', result.reserveHot),
    row('bare findOneAndUpdate, one hot SKU', result.bareUpdateHot),
    '',
    `Ratio Reserve / bare update: spread ${result.ratioSpread} (goal 0.6), hot ${result.ratioHot} (goal 0.5).`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const infra = await infraUp(logger);
  try {
    const calls = Number(process.env.BENCH_CALLS ?? 3_000);
    logger.info({ calls }, 'inventory: Reserve over gRPC vs bare conditional update');
    const result = await benchInventory({
      mongoUri: infra.settings.MONGODB_URI,
      kafkaBrokers: infra.settings.KAFKA_BROKERS,
      calls,
    });
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, 'inventory.json'), `${JSON.stringify(result, null, 2)}\n`);
    const servers = infra.services.map((service) => `${service.name}: ${service.server}`);
    const report = markdown(result, servers);
    writeFileSync(join(RESULTS_DIR, 'inventory.md'), report);
    process.stdout.write(report);
  } finally {
    if (infra.started.length > 0) await infraDown(logger, infra.started);
  }
}

main().catch((err: unknown) => {
  logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
