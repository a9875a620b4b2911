/**
 * Where the command-line tool gets a password. Arguments are visible to every
 * user of the machine (`ps`, /proc/PID/cmdline: proc(5)), so the password
 * comes from an environment variable (readable only by the same user,
 * /proc/PID/environ) or a prompt that does not echo. `--password` still works
 * for scripts that used it, with a warning.
 */
export const PASSWORD_ENV = 'CLOUDREVE_ARCHIVER_PASSWORD';

export interface PasswordSources {
  /** The `--password` argument, if given. */
  flag?: string;
  env: Record<string, string | undefined>;
  /** Asks the user without echo; undefined when there is no terminal to ask on. */
  prompt?: (question: string) => Promise<string>;
  warn: (message: string) => void;
}

export async function readPassword({ flag, env, prompt, warn }: PasswordSources): Promise<string | undefined> {
  if (flag !== undefined) {
    warn(
      `Warning: --password is visible to other users of this machine (ps). Set ${PASSWORD_ENV} or let the tool ask instead.`,
    );
    return flag;
  }
  const fromEnv = env[PASSWORD_ENV];
  if (fromEnv) return fromEnv;
  return prompt ? await prompt('Password: ') : undefined;
}

/** Reads one line from a terminal without echoing it (raw mode; Ctrl+C ends the tool). */
export function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  return new Promise((resolve) => {
    let typed = '';
    stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          stderr.write('\n');
          return resolve(typed);
        }
        if (char === '\u0003') {
          stdin.setRawMode(false);
          process.exit(130);
        }
        typed = char === '\u007f' || char === '\b' ? typed.slice(0, -1) : typed + char;
      }
    };
    stdin.on('data', onData);
  });
}
