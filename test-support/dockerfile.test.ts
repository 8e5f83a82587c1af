import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRuntimeStage } from './dockerfile.js';

describe('readRuntimeStage', () => {
  it('reads the last stage: environment, copies, probe, command and stop signal', () => {
    const stage = readRuntimeStage(
      [
        'FROM node:20 AS build',
        'ENV BUILD_ONLY=1',
        'CMD ["node", "build.js"]',
        '# the runtime',
        'FROM node:20-slim',
        'ENV NODE_ENV=production \\',
        '    PORT=4000',
        'WORKDIR /app',
        'COPY --from=build /app/dist dist',
        'COPY README.md ./',
        'HEALTHCHECK --interval=10s \\',
        '  CMD ["node", "probe.js"]',
        'STOPSIGNAL SIGINT',
        'CMD ["node", "--enable-source-maps", "dist/main.js"]',
      ].join('\n'),
    );
    assert.deepEqual(stage, {
      env: { NODE_ENV: 'production', PORT: '4000' },
      workdir: '/app',
      copiesFromBuild: [['/app/dist', 'dist']],
      healthcheck: ['node', 'probe.js'],
      cmd: ['node', '--enable-source-maps', 'dist/main.js'],
      stopSignal: 'SIGINT',
    });
  });
});
