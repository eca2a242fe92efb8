import type { LinkProps } from '@ag.ds-next/react/core';
import { useRouter } from '@tanstack/react-router';
import { forwardRef, type MouseEvent } from 'react';

/**
 * AgDS renders every link through this component: links within the app navigate with the router (no reload, the
 * query cache survives); anything else — another origin, a download, a modified click — is a plain anchor.
 */
export const RouterLink = forwardRef<HTMLAnchorElement, LinkProps>(function RouterLink(props, ref) {
  const router = useRouter();
  const { href, onClick, ...rest } = props;
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || !href || !isInternal(href) || props.download !== undefined) return;
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    router.history.push(href);
  };
  return <a ref={ref} href={href} onClick={handleClick} {...rest} />;
});

function isInternal(href: string): boolean {
  return href.startsWith('/') && !href.startsWith('//') && !href.startsWith('/api/');
}
