/** The last action's error as user text (lib/user-message.ts), announced to screen readers. */
export function ActionError({ error, testId }: { error?: { text: string }; testId?: string }) {
  return error ? (
    <p class="message error" role="alert" data-testid={testId}>
      {error.text}
    </p>
  ) : null;
}
