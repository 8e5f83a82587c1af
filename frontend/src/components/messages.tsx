import type { ComponentChildren } from 'preact';

/** A failure the shopper must see now (announced at once). */
export function ErrorAlert({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="alert alert-error" role="alert">
      {message}
    </p>
  );
}

/** A status the shopper may want to hear (announced when idle). */
export function StatusMessage({ children }: { children: ComponentChildren }) {
  return (
    <p class="status-message" role="status">
      {children}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}
