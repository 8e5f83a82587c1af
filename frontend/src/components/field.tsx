import type { InputHTMLAttributes, TextareaHTMLAttributes } from 'preact';

type InputProps = InputHTMLAttributes<HTMLInputElement>;

/**
 * A labelled input (the label names it for screen readers and widens the click target),
 * with an optional hint the input is described by. Uncontrolled: `defaultValue` sets what
 * it starts with, the form's data is read on submit.
 */
export function Field({
  id,
  label,
  hint,
  ...input
}: Omit<InputProps, 'id' | 'label'> & { id: string; label: string; hint?: string }) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} aria-describedby={hintId} {...(input as InputProps)} />
      {hint && (
        <p id={hintId} class="hint">
          {hint}
        </p>
      )}
    </div>
  );
}

/** A labelled text area. */
export function TextAreaField({
  id,
  label,
  ...area
}: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'label'> & {
  id: string;
  label: string;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea id={id} {...area} />
    </div>
  );
}

/**
 * A password being chosen: the rules the platform holds it to (10 to 128 characters, a letter
 * and a digit) checked by the browser first, and said under the field.
 */
export function NewPasswordField({ id, label }: { id: string; label: string }) {
  return (
    <Field
      id={id}
      label={label}
      name="password"
      type="password"
      autoComplete="new-password"
      required
      minLength={10}
      maxLength={128}
      hint="At least 10 characters, with a letter and a digit."
    />
  );
}
