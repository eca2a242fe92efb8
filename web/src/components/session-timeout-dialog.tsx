import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { Modal } from '@ag.ds-next/react/modal';
import { Text } from '@ag.ds-next/react/text';
import { useEffect, useState } from 'react';
import { describeError } from '../api/api-error';
import { useAuth } from '../auth/auth-context';
import { SESSION_WARNING_SECONDS } from '../auth/user-manager';
import { useUploadActivity } from '../upload/upload-activity';

/** While uploads run and the session cannot be renewed, how often to try again (silently). */
const RENEW_RETRY_MS = 30_000;

/**
 * GOV.UK's timeout warning: two minutes before the session ends, a dialog says so and offers to stay signed in
 * (the refresh token renews it, nothing on the page changes). If it ends anyway — or the API refuses the token —
 * the dialog says so and signs in again, coming back to this page; forms keep what was typed (usePersistedForm).
 *
 * An expiring session never interrupts an upload (DAWSON's rule): while one runs, the session is renewed
 * silently instead of warning, and retried every 30 s if renewal fails. If it ends all the same, uploads holding
 * URLs carry on, new URLs wait for the user to sign in again, and the dialog says so and may be put aside.
 */
export function SessionTimeoutDialog({ expiresAt }: { expiresAt: number }) {
  const { ended, extend, signIn, signOut } = useAuth();
  const secondsLeft = useSecondsUntil(expiresAt);
  const uploading = useUploadActivity();
  const [dismissedFor, setDismissedFor] = useState<number | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [endedDismissed, setEndedDismissed] = useState(false);
  const expired = ended || secondsLeft <= 0;
  const warning = !expired && secondsLeft <= SESSION_WARNING_SECONDS && dismissedFor !== expiresAt;
  useSilentRenewal(uploading && (expired || secondsLeft <= SESSION_WARNING_SECONDS), extend);
  useEffect(() => {
    if (!expired) setEndedDismissed(false);
  }, [expired]);

  if (expired && uploading) {
    if (endedDismissed) return null;
    return (
      <Modal
        isOpen
        title="Your session has ended"
        onClose={() => setEndedDismissed(true)}
        actions={
          <ButtonGroup>
            <Button variant="secondary" onClick={() => setEndedDismissed(true)}>
              Carry on uploading
            </Button>
            <Button variant="tertiary" onClick={() => void signIn()}>
              Sign in again now
            </Button>
          </ButtonGroup>
        }
      >
        <Text as="p">
          Your uploads carry on with the links they already have, and the portal keeps trying to renew your session. If
          it cannot, uploads that need new links wait for you to sign in again; nothing already uploaded is lost.
        </Text>
        <Text as="p">
          Signing in now takes you away from this page: come back to it and choose the same files again to upload only
          what is missing.
        </Text>
      </Modal>
    );
  }
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
  if (!warning || uploading) return null;
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

/** While `active`, renews the session at once and then every 30 s until it succeeds. */
function useSilentRenewal(active: boolean, extend: () => Promise<void>): void {
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = () => {
      extend().catch(() => {
        if (!stopped) timer = setTimeout(attempt, RENEW_RETRY_MS);
      });
    };
    attempt();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // Once renewed, the new expiry is far off and `active` turns false until the next one comes near.
  }, [active, extend]);
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
