import type { CombinedError } from '@urql/core';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Field, NewPasswordField } from '../components/field.js';
import { ErrorAlert, StatusMessage } from '../components/messages.js';
import { Page } from '../components/page.js';
import { LoginMutation, RegisterMutation, UserFields } from '../graphql/documents.js';
import { type FragmentOf, readFragment } from '../graphql/graphql.js';
import { useSession } from '../session/session.js';
import { errorMessage } from '../utils/errors.js';
import { type FormFields, formFields } from '../utils/form.js';

type FormName = 'login' | 'register';
type AuthResult = {
  data?: Record<string, { token: string; user: FragmentOf<typeof UserFields> }> | undefined;
  error?: CombinedError | undefined;
};

/** Only paths of this shop are followed after signing in (no open redirect). */
function nextPath(next: string | undefined): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Log in, or create an account; either way the guest cart joins the account's cart. */
export function SignInPage() {
  const { query, route } = useLocation();
  const { signIn, user, client } = useSession();
  const [error, setError] = useState<{ form: FormName; message: string }>();
  const [busy, setBusy] = useState(false);

  /** Submits one of the two forms; either answers with a token and the user. */
  const submit =
    (form: FormName, ask: (fields: FormFields) => Promise<AuthResult>) =>
    async (event: SubmitEvent & { currentTarget: HTMLFormElement }) => {
      event.preventDefault();
      const fields = formFields(event.currentTarget);
      setBusy(true);
      setError(undefined);
      const result = await ask(fields);
      setBusy(false);
      const payload = result.data ? Object.values(result.data)[0] : undefined;
      if (!payload) {
        setError({ form, message: errorMessage(result.error) });
        return;
      }
      signIn(payload.token, readFragment(UserFields, payload.user));
      route(nextPath(query.next), true);
    };

  if (user) {
    return (
      <Page title="Signed in">
        <p>
          You are signed in as {user.email}. <a href={nextPath(query.next)}>Continue</a>
        </p>
      </Page>
    );
  }

  return (
    <Page title="Sign in">
      {query.changed && (
        <StatusMessage>Your password is changed. Sign in with the new one.</StatusMessage>
      )}
      <div class="auth-forms">
        <form
          aria-labelledby="login-heading"
          onSubmit={submit('login', ({ text, raw }) =>
            client.urql
              .mutation(LoginMutation, { email: text('email'), password: raw('password') })
              .toPromise(),
          )}
        >
          <h2 id="login-heading">Log in</h2>
          <Field
            id="login-email"
            label="Email"
            name="email"
            type="email"
            autoComplete="username"
            required
          />
          <Field
            id="login-password"
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
          />
          {error?.form === 'login' && <ErrorAlert message={error.message} />}
          <button type="submit" class="button button-primary" disabled={busy}>
            Log in
          </button>
          <p>
            <a href="/forgot-password">Forgot your password?</a>
          </p>
        </form>
        <form
          aria-labelledby="register-heading"
          onSubmit={submit('register', ({ text, raw }) =>
            client.urql
              .mutation(RegisterMutation, {
                input: { name: text('name'), email: text('email'), password: raw('password') },
              })
              .toPromise(),
          )}
        >
          <h2 id="register-heading">Create an account</h2>
          <Field
            id="register-name"
            label="Name"
            name="name"
            autoComplete="name"
            required
            maxLength={100}
          />
          <Field
            id="register-email"
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
          />
          <NewPasswordField id="register-password" label="Password" />
          {error?.form === 'register' && <ErrorAlert message={error.message} />}
          <button type="submit" class="button button-primary" disabled={busy}>
            Create account
          </button>
        </form>
      </div>
    </Page>
  );
}
