import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { Modal } from '@ag.ds-next/react/modal';
import { Text } from '@ag.ds-next/react/text';
import { useEffect, useState } from 'react';
import { describeError } from '../api/api-error';
import { useAuth } from '../auth/auth-context';
import { SESSION_WARNING_SECONDS } from '../auth/user-manager';

/**
 * GOV.UK's timeout warning: two minutes before the session ends, a dialog says so and offers to stay signed in
 * (the refresh token renews it, nothing on the page changes). If it ends anyway — or the API refuses the token —
 * the dialog says so and signs in again, coming back to this page; forms keep what was typed (usePersistedForm).
 */
export function SessionTimeoutDialog({ expiresAt }: { expiresAt: number }) {
  const { ended, extend, signIn, signOut } = useAuth();
  const secondsLeft = useSecondsUntil(expiresAt);
  const [dismissedFor, setDismissedFor] = useState<number | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const expired = ended || secondsLeft <= 0;
  const warning = !expired && secondsLeft <= SESSION_WARNING_SECONDS && dismissedFor !== expiresAt;

  if (expired) {
    return (
      <Modal
        isOpen
        title="Your session has ended"
        onClose={() => void signIn()}
        actions={<Button onClick={() => void signIn()}>Sign in again</Button>}
      >
        <Text as="p">
          For your security, you were signed out. Sign in again to carry on: you will come back to this page, and
          anything you typed into a form is kept.
        </Text>
      </Modal>
    );
  }
  if (!warning) return null;
  const stay = async () => {
    try {
      await extend();
      setFailure(undefined);
    } catch (error) {
      setFailure(describeError(error));
    }
  };
  return (
    <Modal
      isOpen
      title="You will be signed out soon"
      onClose={() => setDismissedFor(expiresAt)}
      actions={
        <ButtonGroup>
          <Button onClick={() => void stay()}>Stay signed in</Button>
          <Button variant="tertiary" onClick={() => void signOut()}>
            Sign out
          </Button>
        </ButtonGroup>
      }
    >
      <Text as="p" aria-live="polite">
        Your session ends in {formatSeconds(secondsLeft)}. Anything you have typed is kept either way.
      </Text>
      {failure && (
        <Text as="p" role="alert" color="error">
          The session could not be extended: {failure}
        </Text>
      )}
    </Modal>
  );
}

/** Re-renders each second so the countdown stays true. */
function useSecondsUntil(epochSeconds: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return Math.floor(epochSeconds - now / 1000);
}

function formatSeconds(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} second${rest === 1 ? '' : 's'}`;
  return `${minutes} minute${minutes === 1 ? '' : 's'}${rest ? ` ${rest} second${rest === 1 ? '' : 's'}` : ''}`;
}
