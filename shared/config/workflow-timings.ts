import type { EnvReader } from './env-reader.js';

/** How long the checkout workflow waits for things, read once for every mode that runs it. */
export interface WorkflowTimings {
  /** How long reserved stock waits for the payment (s). */
  reservationTtlSeconds: number;
  /** How long an order may stay PENDING before the repair sweep acts on it (s). */
  repairAfterSeconds: number;
}

export function readWorkflowTimings(env: EnvReader): WorkflowTimings {
  const seconds = { min: 1, max: 86_400 };
  return {
    reservationTtlSeconds: env.int('RESERVATION_TTL_SECONDS', 900, seconds),
    repairAfterSeconds: env.int('ORDER_REPAIR_AFTER_SECONDS', 300, seconds),
  };
}
