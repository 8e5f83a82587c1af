import { type Static, Type } from '@sinclair/typebox';
import { PERMISSIONS } from '../../shared/auth/permissions.js';

/** An address, possibly with surrounding spaces (trimmed and lower-cased before use). */
export const Email = Type.String({
  minLength: 3,
  maxLength: 254,
  pattern: '^\\s*[^\\s@]+@[^\\s@]+\\.[^\\s@]+\\s*$',
});
/** At least 10 characters with a letter and a digit; at most 128 (scrypt cost is per byte). */
export const Password = Type.String({
  minLength: 10,
  maxLength: 128,
  pattern: '(?=.*[A-Za-z])(?=.*[0-9])',
});

export const RegisterInput = Type.Object(
  { email: Email, password: Password, name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
export type RegisterInput = Static<typeof RegisterInput>;

export const LoginInput = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export type LoginInput = Static<typeof LoginInput>;

export const User = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('CUSTOMER'), Type.Literal('ADMIN')]),
});
export type User = Static<typeof User>;

export const AuthPayload = Type.Object({ token: Type.String(), user: User });

export const ChangePasswordInput = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: Password },
  { additionalProperties: false },
);
export type ChangePasswordInput = Static<typeof ChangePasswordInput>;

export const ResetRequestInput = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 254 }) },
  { additionalProperties: false },
);

export const ResetPasswordInput = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Password },
  { additionalProperties: false },
);

export const Ok = Type.Object({ ok: Type.Boolean() });

/** An admin's new API key: a name people recognise, and what it may do. */
export const ApiKeyInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    permissions: Type.Array(Type.Union(PERMISSIONS.map((name) => Type.Literal(name))), {
      minItems: 1,
      maxItems: PERMISSIONS.length,
    }),
  },
  { additionalProperties: false },
);
export type ApiKeyInput = Static<typeof ApiKeyInput>;

export const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  permissions: Type.Array(Type.String()),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  /** Only in the answer to its creation. */
  key: Type.Optional(Type.String()),
});

export const ApiKeyList = Type.Object({ apiKeys: Type.Array(ApiKey) });

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
