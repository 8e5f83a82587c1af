import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import {
  AppError,
  conflict,
  ErrorCode,
  INTERNAL_MESSAGE,
  RETRY_LATER_CODES,
  toAppError,
} from './catalogue.js';
import { fromGrpcError, grpcStatusOf } from './grpc.js';
import { httpStatusOf, toHttpError } from './http.js';

describe('error catalogue', () => {
  it('maps every code to an HTTP status and a gRPC status', () => {
    for (const code of Object.values(ErrorCode)) {
      const http = httpStatusOf(code);
      assert.ok(http >= 400 && http < 600, `${code} -> ${http}`);
      assert.equal(typeof grpcStatusOf(code), 'number');
      assert.notEqual(grpcStatusOf(code), status.OK);
    }
    assert.equal(httpStatusOf(ErrorCode.CONFLICT), 409);
    assert.equal(grpcStatusOf(ErrorCode.OUT_OF_STOCK), status.FAILED_PRECONDITION);
  });

  it('never gives a retry-later code the HTTP or gRPC status of a final answer', () => {
    const codes = Object.values(ErrorCode);
    const retry = codes.filter((code) => RETRY_LATER_CODES.has(code));
    const final = codes.filter((code) => !RETRY_LATER_CODES.has(code));
    for (const statusOf of [httpStatusOf, grpcStatusOf]) {
      const finalStatuses = new Set(final.map((code) => statusOf(code)));
      for (const code of retry) {
        assert.ok(!finalStatuses.has(statusOf(code)), `${code} -> ${statusOf(code)}`);
      }
    }
    assert.equal(grpcStatusOf(ErrorCode.IN_PROGRESS), status.ABORTED);
  });

  it('reads a gRPC status back as the code it was sent as, without the metadata too', () => {
    for (const code of Object.values(ErrorCode)) {
      const bare = Object.assign(new Error('x'), { code: grpcStatusOf(code), details: 'x' });
      const back = fromGrpcError(bare).code;
      assert.equal(RETRY_LATER_CODES.has(back), RETRY_LATER_CODES.has(code), `${code} -> ${back}`);
    }
  });

  it('keeps the code, message and details of an AppError in the HTTP body', () => {
    const { status: httpStatus, body } = toHttpError(conflict('Slug taken', { field: 'slug' }));
    assert.equal(httpStatus, 409);
    assert.deepEqual(body, {
      error: { code: 'CONFLICT', message: 'Slug taken', details: { field: 'slug' } },
    });
  });

  it('hides the message of unknown errors but keeps them as the cause', () => {
    const secret = new Error('connection to mongodb://admin:hunter2@db failed');
    const appError = toAppError(secret);
    assert.equal(appError.code, ErrorCode.INTERNAL);
    assert.equal(appError.message, INTERNAL_MESSAGE);
    assert.equal(appError.cause, secret);
    const { status: httpStatus, body } = toHttpError(secret);
    assert.equal(httpStatus, 500);
    assert.doesNotMatch(JSON.stringify(body), /hunter2/);
  });

  it('passes AppErrors through unchanged', () => {
    const original = new AppError(ErrorCode.NOT_FOUND, 'No such product');
    assert.equal(toAppError(original), original);
  });
});
