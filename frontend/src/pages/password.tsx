import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { Field, NewPasswordField } from '../components/field.js';
import { ErrorAlert, StatusMessage } from '../components/messages.js';
import { Page } from '../components/page.js';
import {
  ChangePasswordMutation,
  RequestPasswordResetMutation,
  ResetPasswordMutation,
} from '../graphql/documents.js';
import { useSession } from '../session/session.js';
import { errorMessage } from '../utils/errors.js';
import { formFields } from '../utils/form.js';

/** A form's submit state: busy, its error, and whether it went through. */
function useSubmission() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState(false);
  const run = async (send: () => Promise<{ error?: unknown; data?: unknown }>) => {
    setBusy(true);
    setError(undefined);
    const result = await send();
    setBusy(false);
    if (result.error || !result.data) {
      setError(errorMessage(result.error as Parameters<typeof errorMessage>[0]));
      return false;
    }
    setDone(true);
    return true;
  };
  return { busy, error, done, run };
}

/** Asks for a reset link; the answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const { client } = useSession();
  const { busy, error, done, run } = useSubmission();
  return (
    <Page title="Forgot your password?">
      {done ? (
        <StatusMessage>
          If an account has this address, a link to choose a new password is on its way. It works
          once, within 30 minutes.
        </StatusMessage>
      ) : (
        <form
          aria-labelledby="forgot-heading"
          onSubmit={async (event) => {
            event.preventDefault();
            const fields = formFields(event.currentTarget);
            await run(() =>
              client.urql
                .mutation(RequestPasswordResetMutation, { email: fields.text('email') })
                .toPromise(),
            );
          }}
        >
          <h2 id="forgot-heading">Get a link to choose a new password</h2>
          <Field
            id="forgot-email"
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
          />
          <ErrorAlert message={error} />
          <button type="submit" class="button button-primary" disabled={busy}>
            Send the link
          </button>
        </form>
      )}
    </Page>
  );
}

/** The page a reset mail links to: a new password for the token in its address. */
export function ResetPasswordPage() {
  const { query } = useLocation();
  const { client, signOut } = useSession();
  const { busy, error, done, run } = useSubmission();
  const token = query.token ?? '';
  return (
    <Page title="Choose a new password">
      {done ? (
        <StatusMessage>
          Your password is changed, and every session of your account is signed out.{' '}
          <a href="/sign-in">Sign in</a> with the new one.
        </StatusMessage>
      ) : token === '' ? (
        <ErrorAlert message="This page needs the link from the mail. Ask for a new one below." />
      ) : (
        <form
          aria-labelledby="reset-heading"
          onSubmit={async (event) => {
            event.preventDefault();
            const fields = formFields(event.currentTarget);
            const changed = await run(() =>
              client.urql
                .mutation(ResetPasswordMutation, { token, newPassword: fields.raw('password') })
                .toPromise(),
            );
            if (changed) signOut();
          }}
        >
          <h2 id="reset-heading">Your new password</h2>
          <NewPasswordField id="reset-password" label="New password" />
          <ErrorAlert message={error} />
          <button type="submit" class="button button-primary" disabled={busy}>
            Change my password
          </button>
        </form>
      )}
      {!done && (
        <p>
          <a href="/forgot-password">Ask for a new link</a>
        </p>
      )}
    </Page>
  );
}

/** The signed-in shopper's account: a new password, which signs every session out. */
export function AccountPage() {
  const { user, client, signOut } = useSession();
  const { route } = useLocation();
  const { busy, error, run } = useSubmission();
  if (!user) {
    return (
      <Page title="Your account">
        <p>
          <a href="/sign-in?next=%2Faccount">Sign in</a> to see your account.
        </p>
      </Page>
    );
  }
  return (
    <Page title="Your account">
      <p>
        Signed in as {user.name} ({user.email}).
      </p>
      <form
        aria-labelledby="change-heading"
        onSubmit={async (event) => {
          event.preventDefault();
          const fields = formFields(event.currentTarget);
          const changed = await run(() =>
            client.urql
              .mutation(ChangePasswordMutation, {
                currentPassword: fields.raw('current'),
                newPassword: fields.raw('password'),
              })
              .toPromise(),
          );
          if (changed) {
            signOut();
            route('/sign-in?changed=1', true);
          }
        }}
      >
        <h2 id="change-heading">Change your password</h2>
        <p>Every session of your account, this one too, is signed out; you sign in again.</p>
        <Field
          id="change-current"
          label="Current password"
          name="current"
          type="password"
          autoComplete="current-password"
          required
        />
        <NewPasswordField id="change-password" label="New password" />
        <ErrorAlert message={error} />
        <button type="submit" class="button button-primary" disabled={busy}>
          Change password
        </button>
      </form>
    </Page>
  );
}
