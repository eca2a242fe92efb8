import { useEffect } from 'react';
import type { FieldValues, UseFormReturn } from 'react-hook-form';

/**
 * Keeps a form's values in sessionStorage while it is being filled in, so a session that ends (or a reload, or
 * signing in again) loses nothing typed. Call `clear()` once the form has been submitted successfully.
 */
export function usePersistedForm<T extends FieldValues>(storageKey: string, form: UseFormReturn<T>): { clear(): void } {
  const key = `form:${storageKey}`;
  useEffect(() => {
    const saved = window.sessionStorage.getItem(key);
    if (saved) {
      try {
        form.reset(JSON.parse(saved) as T, { keepDefaultValues: true });
      } catch {
        window.sessionStorage.removeItem(key);
      }
    }
    const subscription = form.watch((values) => window.sessionStorage.setItem(key, JSON.stringify(values)));
    return () => subscription.unsubscribe();
  }, [form, key]);
  return { clear: () => window.sessionStorage.removeItem(key) };
}
