import { SectionAlert } from '@ag.ds-next/react/section-alert';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

interface Announcement {
  text: string;
  at: number;
}

interface Announcer {
  message: Announcement | undefined;
  /** Says, politely, what the last action did ("Extension granted: due …"); shown until the next one. */
  announce(text: string): void;
}

const AnnouncerContext = createContext<Announcer | undefined>(undefined);

/** Holds the page's latest async result, for `Announcements` to show and any action to set. */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<Announcement | undefined>(undefined);
  const announce = useCallback((text: string) => setMessage({ text, at: Date.now() }), []);
  const value = useMemo(() => ({ message, announce }), [message, announce]);
  return <AnnouncerContext.Provider value={value}>{children}</AnnouncerContext.Provider>;
}

/**
 * The page's live region: every action's outcome is announced by screen readers and stays visible as a success
 * message. The region is in the page before anything is put in it, which is what makes the change announced.
 */
export function Announcements() {
  const { message } = useAnnouncer();
  return (
    <div role="status" aria-live="polite" aria-atomic="true">
      {message && <SectionAlert key={message.at} tone="success" title={message.text} />}
    </div>
  );
}

function useAnnouncer(): Announcer {
  const announcer = useContext(AnnouncerContext);
  if (!announcer) throw new Error('announcements outside AnnouncerProvider');
  return announcer;
}

export function useAnnounce(): (text: string) => void {
  return useAnnouncer().announce;
}
