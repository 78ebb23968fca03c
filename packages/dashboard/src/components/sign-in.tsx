import { ApiError } from '@countersign/core/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { SignInState } from '../api/sign-in-methods';

function signInError(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return 'That key is not valid.';
  if (error instanceof ApiError && error.status === 403) return 'That key may not sign in here.';
  return 'Cannot reach the Countersign server. Try again in a moment.';
}

/**
 * The sign-in page: "Sign in with <provider>" when the server has OpenID Connect, and the key
 * form (checked with `GET /v1/me`, kept for this tab only), folded away for admin keys when
 * reviewers must use the provider.
 */
export function SignIn(props: { onSignIn: (key: string) => Promise<void>; methods: SignInState }) {
  const { oidc, keys } = props.methods;
  const form = <KeyForm onSignIn={props.onSignIn} label={keys ? 'Reviewer key' : 'Admin key'} />;
  return (
    <main class="sign-in" id="main">
      <h1>Countersign</h1>
      <p>Review what your agents want to do before they do it.</p>
      {oidc && (
        <p>
          <a
            class="button primary sign-in-provider"
            href={`${oidc.loginUrl}?returnTo=${encodeURIComponent(`/${location.hash}`)}`}
          >
            Sign in with {oidc.name}
          </a>
        </p>
      )}
      {keys ? (
        form
      ) : (
        <details>
          <summary>Sign in with an admin key</summary>
          {form}
        </details>
      )}
    </main>
  );
}

function KeyForm(props: { onSignIn: (key: string) => Promise<void>; label: string }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (props.label === 'Reviewer key') field.current?.focus();
  }, [props.label]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError(`Enter your ${props.label.toLowerCase()}.`);
      return;
    }
    setBusy(true);
    setError('');
    try {
      await props.onSignIn(trimmed);
    } catch (cause) {
      setError(signInError(cause));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} method="post" action="#" autocomplete="off">
      <label for="reviewer-key">{props.label}</label>
      <input
        id="reviewer-key"
        name="reviewer-key"
        type="password"
        value={key}
        onInput={(event) => setKey(event.currentTarget.value)}
        aria-describedby={error ? 'sign-in-error' : 'sign-in-hint'}
        aria-invalid={error ? true : undefined}
        ref={field}
      />
      <p id="sign-in-hint" class="hint">
        Kept in this browser tab only; closing the tab or signing out forgets it.
      </p>
      {error && (
        <p id="sign-in-error" class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
