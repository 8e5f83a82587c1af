/** A submitted form's fields by name: `text` trimmed, `raw` as typed (passwords); '' when absent. */
export interface FormFields {
  text(name: string): string;
  raw(name: string): string;
}

export function formFields(form: HTMLFormElement): FormFields {
  const data = new FormData(form);
  const raw = (name: string) => String(data.get(name) ?? '');
  return { raw, text: (name) => raw(name).trim() };
}
