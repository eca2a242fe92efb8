import { useConfig } from '../config/config-context';

/** The configured logo, or a plain mark: the header needs a logo element either way. */
export function BrandLogo() {
  const { branding } = useConfig();
  if (branding.logoPath) return <img src={branding.logoPath} alt="" height={48} />;
  return (
    <svg aria-hidden="true" width="48" height="48" viewBox="0 0 32 32" focusable="false">
      <rect width="32" height="32" rx="6" fill="#ffffff" />
      <path d="M9 8h10l4 4v12H9z" fill={branding.primaryColour} />
    </svg>
  );
}
