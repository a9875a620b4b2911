import type { JSX } from 'preact';

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onInput' | 'class'>;

/** A labelled text input bound to a string (the options page's one form field). */
export function TextField({
  label,
  value,
  onValue,
  testId,
  class: className,
  ...input
}: InputProps & { label: string; value: string; onValue: (value: string) => void; testId: string; class?: string }) {
  return (
    <label class={className}>
      <span class="label">{label}</span>
      <input {...input} value={value} onInput={(e) => onValue(e.currentTarget.value)} data-testid={testId} />
    </label>
  );
}
